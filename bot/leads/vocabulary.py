"""Canonical names for what visitors call roles, technologies, levels and models.

The spaCy entity ruler (``bot/training/nlp/entity_patterns.yml``) finds the phrases;
this module turns each phrase into the one name sales read, e.g. ``reactjs``
and ``React`` both become ``React`` and ``devs`` becomes ``developer``.
"""

from __future__ import annotations

import re

SENIORITY_LEVELS = ("junior", "middle", "senior", "lead")
MIXED_SENIORITY = "mixed"

ENGAGEMENT_MODELS = {
    "outstaffing": "Outstaffing",
    "outsourcing": "Outsourcing",
    "offshore_team": "Offshore team",
    "not_sure": "Not sure yet (sales to recommend)",
}

_SENIORITY_ALIASES = {
    "junior": "junior",
    "juniors": "junior",
    "entry-level": "junior",
    "entry level": "junior",
    "graduate": "junior",
    "middle": "middle",
    "middles": "middle",
    "mid": "middle",
    "mid-level": "middle",
    "mid level": "middle",
    "intermediate": "middle",
    "senior": "senior",
    "seniors": "senior",
    "sr": "senior",
    "snr": "senior",
    "jr": "junior",
    "experienced": "senior",
    "lead": "lead",
    "leads": "lead",
    "principal": "lead",
    "staff": "lead",
    "mixed": MIXED_SENIORITY,
    "mix": MIXED_SENIORITY,
    "a mix": MIXED_SENIORITY,
}

_ENGAGEMENT_ALIASES = {
    "outstaffing": "outstaffing",
    "outstaff": "outstaffing",
    "outstaffed": "outstaffing",
    "staff augmentation": "outstaffing",
    "outsourcing": "outsourcing",
    "outsource": "outsourcing",
    "outsourced": "outsourcing",
    "offshore": "offshore_team",
    "offshoring": "offshore_team",
    "offshore team": "offshore_team",
    "offshore outsourcing": "offshore_team",
    "dedicated team": "offshore_team",
    "nearshoring": "offshore_team",
    "nearshore": "offshore_team",
    "not sure": "not_sure",
    "not_sure": "not_sure",
    "unsure": "not_sure",
    "undecided": "not_sure",
    "don't know": "not_sure",
    "dont know": "not_sure",
    "no idea": "not_sure",
    "recommend": "not_sure",
    "you decide": "not_sure",
    "you choose": "not_sure",
    "up to you": "not_sure",
    "let sales recommend": "not_sure",
    "whatever you recommend": "not_sure",
    "no preference": "not_sure",
}

_ROLE_NAMES = {
    "developer": "developer",
    "dev": "developer",
    "programmer": "developer",
    "software developer": "developer",
    "software engineer": "software engineer",
    "engineer": "engineer",
    "backend developer": "backend developer",
    "back-end developer": "backend developer",
    "backend": "backend developer",
    "back-end": "backend developer",
    "backend engineer": "backend developer",
    "frontend": "frontend developer",
    "front-end": "frontend developer",
    "frontend engineer": "frontend developer",
    "fullstack": "full-stack developer",
    "full-stack": "full-stack developer",
    "full stack": "full-stack developer",
    "ios developer": "iOS developer",
    "android developer": "Android developer",
    "frontend developer": "frontend developer",
    "front-end developer": "frontend developer",
    "full stack developer": "full-stack developer",
    "full-stack developer": "full-stack developer",
    "fullstack developer": "full-stack developer",
    "mobile developer": "mobile developer",
    "qa": "QA engineer",
    "qa engineer": "QA engineer",
    "tester": "QA engineer",
    "devops": "DevOps engineer",
    "devops engineer": "DevOps engineer",
    "data scientist": "data scientist",
    "data engineer": "data engineer",
    "designer": "UI/UX designer",
    "ui/ux designer": "UI/UX designer",
    "ux designer": "UI/UX designer",
    "project manager": "project manager",
    "product manager": "product manager",
    "business analyst": "business analyst",
    "team lead": "team lead",
    "tech lead": "tech lead",
    "architect": "solution architect",
    "solution architect": "solution architect",
    "scrum master": "scrum master",
}

_TECHNOLOGY_NAMES = {
    "python": "Python",
    "django": "Django",
    "flask": "Flask",
    "fastapi": "FastAPI",
    "java": "Java",
    "spring": "Spring",
    "spring boot": "Spring Boot",
    "kotlin": "Kotlin",
    "scala": "Scala",
    "javascript": "JavaScript",
    "typescript": "TypeScript",
    "react": "React",
    "reactjs": "React",
    "react native": "React Native",
    "angular": "Angular",
    "vue": "Vue.js",
    "vue.js": "Vue.js",
    "node": "Node.js",
    "node.js": "Node.js",
    "nodejs": "Node.js",
    "next.js": "Next.js",
    "php": "PHP",
    "laravel": "Laravel",
    "symfony": "Symfony",
    "ruby": "Ruby",
    "ruby on rails": "Ruby on Rails",
    "rails": "Ruby on Rails",
    "golang": "Go",
    "go": "Go",
    "rust": "Rust",
    "c++": "C++",
    "c#": "C#",
    ".net": ".NET",
    "dotnet": ".NET",
    "asp.net": "ASP.NET",
    "swift": "Swift",
    "objective-c": "Objective-C",
    "flutter": "Flutter",
    "dart": "Dart",
    "ios": "iOS",
    "android": "Android",
    "aws": "AWS",
    "azure": "Azure",
    "gcp": "GCP",
    "kubernetes": "Kubernetes",
    "docker": "Docker",
    "terraform": "Terraform",
    "sql": "SQL",
    "postgresql": "PostgreSQL",
    "postgres": "PostgreSQL",
    "mysql": "MySQL",
    "mongodb": "MongoDB",
    "salesforce": "Salesforce",
    "sap": "SAP",
    "magento": "Magento",
    "wordpress": "WordPress",
    "shopify": "Shopify",
    "unity": "Unity",
    "selenium": "Selenium",
    "playwright": "Playwright",
    "cypress": "Cypress",
    "appium": "Appium",
    "machine learning": "machine learning",
    "data science": "data science",
    "pytorch": "PyTorch",
    "tensorflow": "TensorFlow",
}


def _key(phrase: str) -> str:
    return re.sub(r"\s+", " ", phrase.strip().lower())


def _singular(phrase: str) -> str:
    if phrase.endswith("s") and not phrase.endswith(("ss", "qa", "devops")):
        return phrase[:-1]
    return phrase


def canonical_seniority(phrase: str) -> str | None:
    """``"Mid-level"`` -> ``"middle"``; None for a phrase that is no level."""
    return _SENIORITY_ALIASES.get(_key(phrase))


def canonical_engagement_model(phrase: str) -> str | None:
    """``"staff augmentation"`` -> ``"outstaffing"``; None when unknown.

    The canonical names themselves (``offshore_team``, sent by the form's
    buttons) are known too.
    """
    key = _key(phrase)
    return key if key in ENGAGEMENT_MODELS else _ENGAGEMENT_ALIASES.get(key)


def canonical_role(phrase: str) -> str:
    """``"Devs"`` -> ``"developer"``; an unknown role keeps its own words."""
    key = _key(phrase)
    return _ROLE_NAMES.get(key) or _ROLE_NAMES.get(_singular(key)) or " ".join(phrase.split())


def canonical_technology(phrase: str) -> str:
    """``"reactjs"`` -> ``"React"``; an unknown technology keeps its own spelling."""
    return _TECHNOLOGY_NAMES.get(_key(phrase)) or " ".join(phrase.split())


def is_known_role(phrase: str) -> bool:
    """True when ``phrase`` names a role of the vocabulary ("devs", "QA")."""
    key = _key(phrase)
    return key in _ROLE_NAMES or _singular(key) in _ROLE_NAMES


def is_known_technology(phrase: str) -> bool:
    """True when ``phrase`` names a technology of the vocabulary."""
    return _key(phrase) in _TECHNOLOGY_NAMES


def unique(values: list[str]) -> tuple[str, ...]:
    """The values without repeats (ignoring case), first spelling kept, in order."""
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(value.lower(), value)
    return tuple(seen.values())
