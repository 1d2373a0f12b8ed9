"""The `claim_type` label: an ordered decision list of named rules (guidelines 3.3 `claim_type`, 3.5
"History and drug class", 3.7 "claim_type"; issue 10 pattern 6, issue 20).

A span's leading participle, history clause, descriptive lead and class appositive are set aside
first (they are not the proposition); the first rule of TYPE_RULES whose pattern matches the rest
decides, else the span is `efficacy`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ketamine_claims.auto.claims.lead import LEAD_APPOSITIVE
from ketamine_claims.auto.claims.words import ADMINISTRATION_WORDS, Words

# A leading participle about how the drug is given ("Administered intravenously, …"): ignored when typing.
LEAD_PARTICIPLE = re.compile(
    r"^(?:(?:typically|usually|often|primarily|generally|commonly)\s+)?(?:administered|given|taken|delivered|used)\b[^,]*,\s+",
    re.I,
)
# History and drug class (guidelines 3.5: they are `regulatory`), ahead of the main clause.
HISTORY_LEAD = re.compile(
    r"^(?:(?:originally|initially|once|first|primarily)\s+)+(?:developed|used|meant|known|approved|introduced|created|"
    r"synthesi[sz]ed)\b[^,]*\b(?:anesthe\w*|anaesthe\w*|surg\w*)[^,]*,\s+(?:ketamine|esketamine|it)\b",
    re.I,
)
HISTORY_APPOSITIVE = re.compile(
    r"^(?:ketamine|esketamine|it|this (?:dissociative )?(?:anesthetic|anaesthetic|drug)),\s+[^,]*\b(?:anesthe\w*|anaesthe\w*|"
    r"analgesic|surg\w*)\b[^,]*(?=,)",
    re.I,
)
# The drug's class as the predicate of a relative clause ("Ketamine is a general anesthetic that works by blocking
# NMDA receptors"): the proposition is the relative clause, so the class is set aside when typing (guidelines 3.5: the
# drug class alone is history; 3.3: type what the proposition is mainly about).
CLASS_PREDICATE = re.compile(
    r"^(?:ketamine|esketamine|it|this drug|the drug)\s+is\s+an?\s+(?:[\w-]+\s+){0,2}(?:anesthe\w*|anaesthe\w*)"
    r"(?:\s+(?:drug|medication|medicine|agent))?\s+(?:that|which)\s+",
    re.I,
)
# A leading descriptive participle ("Often associated with …, ketamine"): ignored when typing the main clause.
DESCRIPTIVE_LEAD = re.compile(
    r"^(?:(?:often|once|originally|initially|sometimes|commonly)\s+)?(?:associated|"
    r"known|regarded|described|developed|meant)\b[^,]*,\s+",
    re.I,
)

# "of/for" a named harm after "risk" ("a risk of drug misuse"): the harm that `type_harm_risk` types as an adverse
# effect and whose absence makes `type_general_risk` a risk in general.
_OF_A_NAMED_HARM = (
    r"(?:of|for) (?:\w+ ){0,2}(?:misuse|abuse|addiction|dependence|sedation|dissociation|bladder|psychos[ie]s|"
    r"hallucinations|overdose|respiratory depression)\b"
)

# --- claim_type decision list (guidelines 3.3; order matters) ------------------------------------
TYPE_RULES: tuple[tuple[str, str, Words], ...] = tuple(
    (name, claim_type, Words(pattern))
    for name, claim_type, pattern in (
        (
            "type_history",
            "regulatory",
            r"\b(?:(?:has|have) (?:also |long |first |originally )?been|was|were) (?:first |originally |also |long )?(?:used|"
            r"utili[sz]ed|employed|developed|"
            r"synthesi[sz]ed|"
            r"discovered|introduced)\b[^.;]{0,60}\b(?:since|in the (?:\d{4}s|medical field)|for decades|\d{4}s?|as an? "
            r"(?:sedative|anesthetic|anaesthetic|analgesic|pain reliever))\b|^developed in\b|\bveterinary\b|"
            r"\b(?:became|become|is now) (?:generic|available as a generic)",
        ),
        (
            "type_onset_of_relief",
            "onset",
            r"\b(?:reduc|alleviat|reliev|eas|lessen|improv|lift|lower)\w*\b[^.]{0,60}\b(?:within (?:minutes|"
            r"hours|a few hours|a day|days|"
            r"24 hours)|as soon as (?:\d+|an?|one|a few) (?:minutes?|hours?|days?))\b",
        ),
        (
            "type_efficacy_on_symptoms",
            "efficacy",
            r"\b(?:reduc\w*|alleviat\w*|reliev\w*|eas(?:e|es|ing)|lessen\w*|improv\w*|lift\w*|lower\w*)\s+(?:the\s+)?(?:\w+\s+)?"
            r"(?:symptoms|signs|pain|depress\w*|anxiety|suicidal \w+|mood)\b|"
            # Lowering the risk of the condition's own harms ("reducing self-harm risk") is the treatment working.
            r"\b(?:reduc|lower|decreas|mitigat)\w*\s+(?:the\s+)?(?:\w+\s+){0,4}?(?:risk of (?:self-harm|suicide|relapse)|"
            r"(?:self-harm|suicide|relapse) risk)\b|"
            r"\brole in (?:improving|treating|managing|reducing|addressing)\b|\b(?:suicid\w*|symptoms?|depress\w*|anxiety|pain)\b"
            r"[^.;]{0,40}\b(?:decreased|declined|reduced|improved|fell|dropped|dropped)\b|"
            r"\b(?:shown|shows|show|showing) (?:promise|potential|"
            r"promising|efficacy|effectiveness)\b|\b(?:confirm|demonstrat|"
            r"prove|support)\w* (?:its|the) (?:effectiveness|efficacy)\b",
        ),
        (
            "type_benefit_duration",
            "onset",
            r"\b(?:improvements?|benefits?|relief|antidepressant effects?|(?:mood|symptom) (?:improvement|lift)|results?)\b"
            r"[^.;]{0,50}\b(?:fad(?:e|es|ed|ing)|wears? off|wore off|diminish\w*|subsid\w*|lasts?|lasted|lasting|persist\w*)\b|"
            r"\b(?:maintenance|duration) of (?:the )?(?:\w+ )?(?:response|remission|effects?|benefits?|relief)\b",
        ),
        (
            "type_dose_comparison",
            "administration",
            r"\b(?:doses?|dosages?|dosing)\b[^.;]{0,20}\b(?:is|are|was|were) (?:much |far |many times )?(?:lower|higher|smaller|"
            r"larger) than\b",
        ),
        (
            "type_administration_monitoring",
            "administration",
            r"\b(?:effects|patients?|vital signs|responses)\b[^.]{0,20}\b(?:are|"
            r"is) (?:closely |carefully |constantly )?(?:monitored|"
            r"watched|observed|under (?:constant |close )?(?:attention|observation|"
            r"monitoring))|\b(?:monitored|observed|watched) for\b|\b(?:given|receives?|under) (?:\w+ )?sedation\b|"
            # The provider monitoring the patient ("must monitor you for serious side effects for two hours"): monitoring
            # is administration (guidelines 3.3), whatever harm it watches for.
            r"\bmonitor(?:s|ed|ing)? (?:you|patients?|them|him|her|the patient)\b",
        ),
        (
            "type_contraindication",
            "eligibility",
            r"\bnot (?:recommended|suitable|appropriate|advised) (?:for|during|in|while|with)\b|"
            r"\bnot (?:be )?(?:an? )?(?:good |suitable |ideal |"
            r"right )?candidates?\b|\bcontraindicat\w*|"
            r"\bshould not (?:receive|take|use|be given|have)\b",
        ),
        (
            # A named harm's risk ("may increase a patient's risk of drug misuse or abuse") is about that harm, even
            # beside a regulatory or access word (guidelines 3.3: `adverse_effect` is specific harms, abuse or
            # dependence; `safety` is risk in general, and "a low risk" is a safety record, 3.7).
            "type_harm_risk",
            "adverse_effect",
            rf"(?<!low )(?<!lower )(?<!minimal )(?<!no )\brisks? {_OF_A_NAMED_HARM}",
        ),
        (
            # A risk that names no harm ("may put patients at risk for serious adverse events", "also present a risk to
            # patients", "adds even more risk", "can create risk when the drug is misused") is risk in general:
            # `safety` (guidelines 3.3), whatever harm words stand beside it.
            "type_general_risk",
            "safety",
            r"\b(?:at (?:an? )?(?:increased |higher |greater |serious )?risk|(?:present|pose|add|create|carr(?:y|ies)|rais)\w* "
            rf"(?:\w+ ){{0,2}}risks?)\b(?! {_OF_A_NAMED_HARM})",
        ),
        (
            "type_cost_access",
            "cost_access",
            r"\b(?:costs?|costly|price\w*|pricing|expens\w*|afford\w*|insurance|insurer\w*|insured|reimburs\w*|payment|"
            r"out[- ]of[- ]pocket|accessib\w*|access to|availab\w*|cover(?:s|ed|age)?|"
            r"prior authori[sz]ation)\b|\bclinics?\b[^.]{0,40}\b(?:offer|provide)|[$€£]\s?\d",
        ),
        (
            "type_regulatory",
            "regulatory",
            r"\b(?:fda|ema|approv\w*|schedule (?:iii|3)|controlled substance|off[- ]label|legal\w*|illegal|"
            r"prescription[- ]only|regulations|regulatory|regulators?|unregulated|dea|legislation|federal (?:government|law))\b",
        ),
        (
            "type_safety_interaction",
            "safety",
            r"\bconcomitant use\b|\bdrug interactions?\b|"
            r"\binteract\w* (?:negatively )?with (?:other |certain |some |your )?(?:\w+ )?(?:medications?|drugs?|alcohol|"
            r"benzodiazepines|antidepressants|opioids|stimulants|sedatives)|\b(?:mix\w*|combin\w*)\b[^.;]{0,30}\bwith "
            r"(?:other |certain |some )?(?:alcohol|sedatives|opioids|benzodiazepines|drugs|medications|substances|depressants)",
        ),
        (
            "type_comparative",
            "comparative",
            r"\b(?:works? differently|different(?:ly)? (?:from|than)|not like (?:that of )?|"
            r"more effective than|better than|superior to|"
            r"inferior to|non-?inferior|outperform\w*|as effective as|as good (?:as|or better than)|faster,? more effective|"
            r"alternative to|"
            r"similar in (?:the|both) (?:two )?(?:trial |treatment )?groups|(?:than|by) (?:a )?placebo|as likely as|"
            r"compared (?:with|to) (?:traditional |conventional "
            r"|standard |other )?(?:antidepressants|treatments|medications|ect|therapy|placebo))\b|"
            # Two arms of a trial set side by side ("63% remitted compared with 46% receiving ketamine", "55.4% in the
            # ketamine group and 41.2% of those in the ECT group", "more common with ECT"): the comparison is the point.
            r"\d%(?:[^.;]|\.\d){0,60}\bcompared (?:with|to)\b(?:[^.;]|\.\d){0,20}\d(?:\.\d+)?%|"
            r"\bin the [\w-]+ group and\b(?:[^.;]|\.\d){0,60}\bin the [\w-]+ group\b|"
            r"\bmore (?:common|frequent) (?:with|after) (?:ect|electroconvulsive therapy|placebo)\b",
        ),
        (
            # The drug acting on a named receptor ("blocking NMDA receptors to reduce the pain") is how it works:
            # `mechanism` (guidelines 3.3), whatever effect the sentence goes on to name.
            "type_receptor_action",
            "mechanism",
            r"\b(?:block\w*|bind\w*|inhibit\w*|antagoni[sz]\w*|act(?:s|ing)? (?:as an? \w+ )?(?:on|at)|target\w*|"
            r"stimulat\w*|activat\w*|modulat\w*)\s+(?:the\s+)?(?:brain['’]s\s+)?(?:[\w-]+\s+){0,2}(?:receptors?|nmda)\b",
        ),
        (
            "type_adverse_effect",
            "adverse_effect",
            r"\b(?:side[- ]effects?|adverse|(?<!self-)harm(?:s|ful)?|nausea|nauseous|vomit\w*|dizz\w*|dissociat\w*|hallucinat\w*|"
            r"drows\w*|sleepy|foggy|bewilder\w*|confus\w*|disorient\w*|memory (?:issues|"
            r"problems|impairment|loss)|cognitive (?:issues|"
            r"effects|impairment|problems)|bladder|urinat\w*|(?:ab|mis)us(?:e|es|ed|ing)|"
            r"addict\w*|dependen\w*|unwanted effects|toxic\w*|overdose|"
            r"recreational|party drug|unsettling|out[- ]of[- ]body|detach\w*|disconnect\w*|dream-?like|vivid dreams|distort\w*|"
            r"altered sense|changes in perception|sensations|sensory (?:effects|changes|distortions|disturbances)|"
            r"serious consequences|"
            r"long-term effects|psychos[ie]s|psychotic|agitation|"
            r"headaches?|hangovers?|aes|sedat\w*|tolerance|withdrawal|cystitis|euphori\w*|fades?|resolves?|subsides?|wears? off|"
            r"injur\w*|numb\w*|damage\w*|death|died|dying|lethal|fatal\w*|bad reactions?|date rape|psychoactive effects|"
            r"delirium|amnesia|impaired|(?:reduc|slow|depress)\w* (?:heart rate|breathing|respirat\w*)|dangerously|"
            r"needs? (?:more|higher doses|larger doses) to (?:get|feel|achieve) the same|"
            r"unconscious\w*|los(?:e|es|ing|t) (?:the ability|consciousness|control|coordination)|"
            r"unable to (?:move|speak|talk|walk)|(?:feel\w*|felt|become|becoming|get|gets|getting) (?:\w+ )?(?:anxious|nervous|"
            r"uneasy|panicky|panicked|agitated|restless|paranoid|sick|low|tired|scared|frightened|overwhelmed)|"
            r"(?:chang|alter|distort)\w* (?:how (?:you|people|patients|they|we) perceive|(?:your |the )?perception)|"
            r"go(?:es)? away|passe?s? after|"
            r"(?:long-term|prolonged|chronic|heavy|frequent|repeated) use|habit[- ]forming|float\w*)\b|"
            r"\b(?:these|the|such|its) (?:side )?effects (?:are|were) (?:usually |often |typically |generally )?(?:short-lived|"
            r"temporary|transient|mild)|\b(?:rais\w*|increas\w*|elevat\w*|spik\w*)\b[^.]{0,30}\b(?:blood pressure|heart rate)|"
            r"\b(?:caus\w*|trigger\w*|worsen\w*|increas\w*|induc\w*)\b[^.]{0,25}\b(?:anxiety|"
            r"suicid\w*|depress\w*|panic|psychos[ie]s|"
            r"paranoia|mania|agitation)",
        ),
        (
            # How the body handles the drug ("its half-life is about three hours", "metabolized in the liver") is how it
            # acts in the body: `mechanism` (guidelines 3.3); a harm named beside it is typed first (`type_adverse_effect`).
            "type_pharmacokinetics",
            "mechanism",
            r"\bhalf[- ]li(?:fe|ves)\b|\bpharmacokinetic\w*|\bmetaboli[sz]\w*|\bmetabolites?\b|"
            r"\b(?:is|are) (?:excreted|eliminated|cleared) (?:from|by|through|in)\b",
        ),
        (
            # Passing into breast milk ("Spravato is present in breastmilk") is a condition of safe use: `safety`
            # (guidelines 3.3); a named harm ("fetal harm") or a contraindication is typed first.
            "type_lactation",
            "safety",
            r"\bbreast ?milk\b|\bbreast-?feed\w*|\blactat\w*|\bnursing (?:mothers?|infants?|women)\b",
        ),
        (
            "type_safety_predicate",
            "safety",
            r"\b(?:is|are|be|been|remains?)\s+(?:not\s+|generally\s+|considered\s+|"
            r"usually\s+|very\s+|relatively\s+|quite\s+)*(?:safe|unsafe|dangerous|risky|"
            r"well[- ]tolerated)\b|\bnot without (?:risks?|considerations|side effects)\b|\bsafety profile\b|\bunsafe\b|"
            r"\bsafe (?:for|when|if|under|option)\b|\btolerat\w* (?:\w+ ){0,2}well\b|\bsafety record\b|"
            r"\b(?:is|are|be) (?:much |far |even |a lot )?(?:riskier|safer|more dangerous|less safe)\b|"
            r"\b(?:low|lower|minimal) risks? (?:of|for)\b",
        ),
        (
            "type_anaesthetic_use",
            "regulatory",
            r"\b(?:anesthe\w*|anaesthe\w*|surg(?:ery|ical))\b",
        ),
        (
            "type_onset_time",
            "onset",
            r"\b(?:last|lasts|lasted|lasting) (?:for )?(?:up to |about |around |at least |as long as )?"
            r"(?:\d+|a few|several|one|two|three|an?) (?:\w+ )?(?:days?|weeks?|months?|years?)\b|"
            r"\bwithin (?:minutes|hours|a few hours|\d+ hours|a day|days|24 hours|"
            r"a few days)\b|\b(?:hours|minutes) (?:to|or) (?:a )?days?\b|"
            r"\bonset\b|\bnear[- ]immediate\w*|\bimmediate(?:ly)? (?:relief|effects?|improvements?)|"
            r"\bas soon as (?:\d+|an?|one|a few) (?:minutes?|hours?|days?)\b|\b(?:benefits?|effects?|relief|results|"
            r"improvements?) (?:are|is|were|was) (?:almost |nearly |often |usually )?(?:immediate|instant\w*)\b|"
            r"\b(?:feel\w*|improv\w*|relief|better|alleviation)\b[^.]{0,30}\b(?:hours|a day) (?:after|of)\b|"
            r"\b(?:feel\w*|felt|improv\w*|relief|better)\b[^.]{0,30}\bafter (?:the|their|a|one) (?:first|single|second|few)"
            r"(?: or (?:second|two|three))? (?:treatment|session|infusion|dose)s?\b|"
            r"\b(?:relief|effects?) (?:for|lasting) (?:a few|several|up to|\d+)\b|\b(?:manifest|appear|work|start|begin)\w* "
            r"(?:within |in )?(?:hours|minutes)\b|\b(?:effects?|benefits?|relief|"
            r"results?|improvements?) (?:can |may |often |usually |typically )?"
            r"(?:last|persist)",
        ),
        (
            "type_administration_screening",
            "administration",
            r"\b(?:doctors?|professional|clinician|provider|evaluation|screening|assessment|check\w*)\b[^.]{0,60}\b(?:suitable|"
            r"candidate|matches|appropriate)\b",
        ),
        (
            "type_eligibility",
            "eligibility",
            r"\b(?:is|be|as) an? (?:\w+ ){0,2}option for (?!treat(?:ing)?\b)|\blast[- ]resort\b|"
            # The prescriber considering the drug for a population ("doctors may consider ketamine therapy"): who it
            # suits (guidelines 3.3 `eligibility`).
            r"\b(?:doctors?|clinicians?|physicians?|psychiatrists?|providers?|specialists?) (?:may|might|can|could|will|"
            r"often|sometimes) (?:also )?consider (?:ketamine|esketamine|spravato|it|this|the (?:treatment|therapy|drug))\b|"
            r"\bmay be an option\b|\bis a choice\b|\breserved for\b|"
            r"\brecommended (?:only |limited )?(?:for|to)\b|\blimited to\b|\bcan be used in\b|\bsuitable (?:for|candidates)\b|"
            r"\bcandidates for\b|\b(?:be|are|is) an? (?:\w+ )?candidates?\b|\b(?:used|utili[sz]ed|"
            r"prescribed) (?:for|in)\b|\bis prescribed\b|\bin adolescents\b|"
            r"\b(?:considered|offered) (?:for|to) (?:adults|patients|people|individuals|those|children|adolescents|teens)\b|"
            r"\b(?:provided|given|prescribed|available) (?:only )?to (?:adults|patients|people|individuals|those)(?: \w+)? "
            r"(?:with|who)\b|"
            r"\b(?:is|are) (?:\w+ )?offered (?:ketamine|esketamine|it|this|the (?:treatment|therapy|spray|infusions?))\b",
        ),
        (
            "type_evaluative_use",
            "efficacy",
            r"\b(?:makes?|made|positioned)\b[^.]{0,40}\b(?:option|tool|treatment|intervention|alternative|choice|approach|"
            r"breakthrough|valuable)\b|\b(?:recognition|known|recogni[sz]ed|acclaimed|praised|attention)(?: \w+)? for its\b|"
            r"\b(?:significant|encouraging|beneficial) for\b|\bis (?:quite |very |particularly )?encouraging\b|"
            r"\b(?:approach|option|alternative|tool) (?:to|for) (?:managing|treating|addressing)\b|"
            r"\bhelps? (?:patients|people|individuals|them) (?:to )?(?:engage|process|cope)",
        ),
        (
            "type_mechanism",
            "mechanism",
            r"\b(?:receptors?|nmda|glutamat\w*|gaba|bdnf|neurotrophic|neuroplastic\w*|"
            r"plasticity|synap\w*|neural|neurons?|neurones?|"
            r"neurotransmi\w*|brain (?:circuits?|cells?|chemistry|regions?|structures?|areas?)|(?:up|down)-?regulat\w*|"
            r"circuits?|pathways?|neurobiolog\w*|mechanism|antagonis\w*|"
            r"mtor|dopamine|serotonin|rewir\w*|re-wire|reset\w*|(?:anti-)?inflammat\w*|central nervous system|sensiti[sz]ation|"
            r"signal(?:l)?ing|connections? in the brain|"
            r"brain['’]s sensitivity|cascade)\b",
        ),
        (
            "type_onset_speed",
            "onset",
            r"\b(?:rapid(?:ly|ity)?|quick(?:ly|ness)?|fast|swift(?:ly|ness)?|prompt(?:ly)?|speed|"
            r"(?:fast|quick|rapid|short|long)[- ]acting)\b",
        ),
        (
            "type_administration_predicate",
            "administration",
            r"\b(?:requires?|required|needs?|indicated|aims? to|sustain|maintain (?:\w+ )?(?:results|"
            r"improvements|benefits|gains)|way to (?:treat|administer|give)|is (?:often |usually |"
            r"typically )?combined with)\b|\b(?:must|should|has to|have to|"
            r"will|is|are) (?:be )?(?:typically |usually |always |often |only |"
            r"carefully |continually )?(?:administered|given|delivered|monitored|"
            r"observed|supervised)\b|\b(?:clinicians|doctors?|staff|"
            r"professionals|providers|nurses|clinics)\b[^.]{0,30}\b(?:monitor|"
            r"adjust|observe|watch|check|control|teach|make|put|set)\w*",
        ),
        (
            "type_efficacy_predicate",
            "efficacy",
            r"\b(?:effective\w*|efficacy|alleviat\w*|reliev\w*|relief|improv\w*|"
            r"benefit\w*|helps?|helpful|treats?|treating|heal(?:s|ed|ing)?|"
            r"sense of|outcomes)\b",
        ),
        (
            "type_administration",
            "administration",
            r"\b(?:administ\w*|intravenous\w*|iv|intranasal\w*|nasal|sprays?|spray\w*|injections?|intramuscular\w*|infusions?|"
            r"lozenges?|oral(?:ly)?|tablets?|dos(?:e|es|age|ages|ing)|sessions?|"
            r"phases?|maintenance|monitor\w*|observ\w*|supervis\w*|"
            r"vital signs|clinical (?:setting|environment)|medical (?:setting|"
            r"environment)|vein|tube|frequency|intervals?|visits?|"
            r"treatments|combined with|protocols?|adjust\w*|calculated|watched|"
            r"procedure|course of treatment|treatment plan|follow-up|"
            r"adjunct\w*|in (?:addition|supplementation) to (?:\w+ ){0,3}(?:medications?|antidepressants?|therapy|psychotherapy|"
            r"treatment)|"
            r"take[- ]home|absorbed (?:by|through|via) (?:the )?(?:cheeks?|gums|mouth|nose|nasal \w+|lining|mucosa)|"
            rf"teach\w*|way of giving|how to use|taken|{'|'.join(ADMINISTRATION_WORDS)})\b",
        ),
        ("type_safety", "safety", r"\b(?:safe\w*|risks?|risky|caution|dangerous)\b"),
    )
)
# Condition names that look like harm words ("substance abuse" as a treated condition): removed before typing.
TYPE_NOISE = re.compile(r"\b(?:substance|alcohol|drug|opioid) (?:ab)?use(?: disorders?)?\b|\bdissociative (?=an(?:a)?esthetic)")
# Cheap guards: a rule whose pattern needs one of these substrings is skipped without running it.
TYPE_RULE_GUARDS: dict[str, tuple[str, ...]] = {
    "type_onset_of_relief": ("within", "as soon as"),
    "type_benefit_duration": ("fad", "wear", "wore", "diminish", "subsid", "last", "persist", "maintenance", "duration"),
    "type_dose_comparison": (" than",),
    "type_administration_monitoring": ("monitor", "watched", "observ", "under ", "sedation"),
    "type_contraindication": ("not", "contraindicat"),
    "type_harm_risk": ("risk",),
    "type_general_risk": ("risk",),
    "type_history": ("used", "utili", "employed", "developed", "synthesi", "discovered", "introduced", "veterinary", "generic"),
    "type_safety_interaction": ("interact", " with", "concomitant"),
    "type_regulatory": (
        "fda",
        "ema",
        "approv",
        "schedule",
        "controlled",
        "label",
        "legal",
        "prescription",
        "regulat",
        "dea",
        "legislation",
        "federal",
    ),
    "type_anaesthetic_use": ("anesthe", "anaesthe", "surg"),
    "type_comparative": (
        "differ",
        "not like",
        "than",
        "faster",
        "superior",
        "inferior",
        "outperform",
        "as effective",
        "compared",
        "as good",
        "alternative to",
        "similar in",
        "placebo",
        "as likely",
        "group",
        "more common",
        "more frequent",
    ),
    "type_administration_screening": ("suitable", "candidate", "matches", "appropriate"),
    "type_pharmacokinetics": ("half", "pharmacokinetic", "metabol", "excreted", "eliminated", "cleared"),
    "type_lactation": ("milk", "feed", "lactat", "nursing"),
    "type_receptor_action": ("receptor", "nmda"),
}
DEFAULT_CLAIM_TYPE = "efficacy"
MECHANISM_CUES = next(cue for name, _, cue in TYPE_RULES if name == "type_mechanism")
ADVERSE_CUES = next(cue for name, _, cue in TYPE_RULES if name == "type_adverse_effect")


@lru_cache(maxsize=1024)
def claim_type_of(span: str) -> tuple[str, str]:
    """`claim_type`: the claim type of a span and the rule that decided (first match in TYPE_RULES;
    guidelines 3.3, 3.7)."""
    main = LEAD_PARTICIPLE.sub("", span, count=1)
    main = HISTORY_APPOSITIVE.sub("", main, count=1)
    main = HISTORY_LEAD.sub("", main, count=1)
    main = DESCRIPTIVE_LEAD.sub("", main, count=1)
    main = CLASS_PREDICATE.sub("", main, count=1)
    main = LEAD_APPOSITIVE.sub("", main, count=1)
    folded = TYPE_NOISE.sub(" ", main.lower())
    for name, claim_type, cue in TYPE_RULES:
        guard = TYPE_RULE_GUARDS.get(name)
        if guard and not any(word in folded for word in guard):
            continue
        if cue.regex.search(folded):
            return claim_type, name
    return DEFAULT_CLAIM_TYPE, "type_default_efficacy"
