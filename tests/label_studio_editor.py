"""An annotator in Label Studio's own editor (headless Chromium): log in, open the project's first task, pick a span
label, select a passage of the article with the mouse and submit. Run inside the session's namespaces by
label_studio_session.py (`--editor-command`), with the project's Python (selenium).

Arguments: the passage to select, the label to give it, then (appended by the session) base URL, project id, user and
password.
"""

from __future__ import annotations

import sys
import tempfile
import time

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1600,1200")
TASK_ROW = ".dm-table__row-wrapper, [class*=row-wrapper]"
REGION = ".lsf-main-view .htx-highlight, .lsf-main-view [class*=highlight]"
FOUND = """
const root = document.querySelector('.lsf-main-view');
return Boolean(root && root.textContent.includes(arguments[0]));
"""
SELECT = """
const [target] = arguments;
const root = document.querySelector('.lsf-main-view') || document.body;
const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const at = node.nodeValue.indexOf(target);
  if (at >= 0) {
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + target.length);
    document.getSelection().removeAllRanges();
    document.getSelection().addRange(range);
    node.parentElement.dispatchEvent(new MouseEvent('mousedown', {bubbles: true}));
    node.parentElement.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    return true;
  }
}
return false;
"""


def main() -> None:
    passage, label, base_url, project, user, password = sys.argv[1:7]
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    with tempfile.TemporaryDirectory() as profile:
        for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(options=options, service=Service(executable_path="/usr/bin/chromedriver"))
        wait = WebDriverWait(driver, 120)
        try:
            driver.get(f"{base_url}/user/login")
            wait.until(expected_conditions.presence_of_element_located((By.NAME, "email"))).send_keys(user)
            driver.find_element(By.NAME, "password").send_keys(password)
            driver.find_element(By.CSS_SELECTOR, "button[type=submit], input[type=submit]").click()
            wait.until(expected_conditions.url_changes(f"{base_url}/user/login"))
            driver.get(f"{base_url}/projects/{project}/data")
            wait.until(expected_conditions.element_to_be_clickable((By.CSS_SELECTOR, TASK_ROW))).click()
            wait.until(lambda d: d.execute_script(FOUND, passage))
            time.sleep(2)  # the editor re-renders once after the task loads

            def label_the_passage(d) -> bool:
                """Activate the label (unless active), select the passage; true once the region is there."""
                try:
                    button = next(e for e in d.find_elements(By.CSS_SELECTOR, ".lsf-label") if e.text.split("\n")[0] == label)
                    if "selected" not in (button.get_attribute("class") or ""):
                        button.click()
                    d.execute_script(SELECT, passage)
                    for _ in range(10):  # give a busy machine a few seconds before selecting again
                        time.sleep(0.5)
                        if d.find_elements(By.CSS_SELECTOR, REGION):
                            return True
                    return False
                except (StaleElementReferenceException, StopIteration):
                    return False

            wait.until(label_the_passage)

            def submit(d) -> bool:
                try:
                    next(b for b in d.find_elements(By.CSS_SELECTOR, "button") if b.text.strip() == "Submit").click()
                    return True
                except (StaleElementReferenceException, StopIteration):
                    return False

            wait.until(submit)
            wait.until(lambda d: not any(b.text.strip() == "Submit" for b in d.find_elements(By.CSS_SELECTOR, "button")))
            time.sleep(2)  # let the editor's request finish
        finally:
            driver.quit()


if __name__ == "__main__":
    main()
