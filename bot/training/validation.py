"""``bot validate``: Rasa's data validation with no warning left unexplained.

It then runs the project's own checks (:mod:`bot.training.project_checks`).

``rasa data validate --fail-on-warnings`` cannot tell a real problem from a
warning the project expects (a response that a custom action utters is "not
used in any story"). This runs the same validation, records every warning,
and fails on any warning that ``EXPLAINED_WARNINGS`` does not account for.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from bot.training.project_checks import load_project, run_checks

# Warnings the project expects, each with the reason it is harmless.
EXPLAINED_WARNINGS: dict[str, str] = {
    r"The utterance 'utter_(ask_rephrase|knowledge_no_more)' is not used in any story or rule": (
        "uttered by the knowledge actions (actions/faq.py) when the articles have no answer"
    ),
    r"The utterance 'utter_(contact_us|contact_us_in_form|callback_intro|callback_instead"
    r"|job_seeker|candidate_intro)' is not used": (
        "uttered by action_contact_us, action_request_callback (actions/contact.py), the"
        " lead form's validation action (a call asked for instead), action_job_seeker"
        " and action_start_candidate_profile (actions/candidates.py)"
    ),
    r"The intent 'other_language' is listed in the domain file, but is not found in the NLU"
    r" training data": (
        "set only by the language gate (bot/rasa_plugins/nlu/language_gate.py) for a message"
        " clearly in another language: no classifier learns it"
    ),
    r"The utterance 'utter_english_only' is not used in any story or rule": (
        "uttered with the agency's email by action_answer_in_english (actions/languages.py)"
    ),
    r"The utterance 'utter_ask_which_model' is not used in any story or rule": (
        "uttered by action_answer_question (actions/faq.py) when a follow-up names no"
        " model and the conversation has none yet"
    ),
    r"The utterance 'utter_no_side_by_side' is not used in any story or rule": (
        "uttered by action_answer_question (actions/faq.py) for a comparison that no FAQ"
        " topic makes, with what there is on each side as buttons"
    ),
    r"The utterance 'utter_default' is not used in any story or rule": (
        "uttered by Rasa's action_default_fallback when no policy is confident"
    ),
    r"The utterance 'utter_restart' is not used in any story or rule": (
        "uttered by Rasa's action_restart when a visitor types /restart"
    ),
    r"The utterance 'utter_(back_nothing|back_in_form|unknown_command)' is not used": (
        "uttered by the actions of typed commands: /back (actions/commands.py) and"
        " one the bot does not know (actions/faq.py)"
    ),
    r"duplicated intents have been found across multiple domain files: faq": (
        "Rasa adds the retrieval intent faq from the faq/<topic> examples to the one"
        " domain.yml lists; without the listing, Rasa reports 'faq' as unknown in rules"
    ),
    r"The utterance 'utter_faq_\w+' is not used in any story or rule": (
        "the FAQ answers: action_answer_question utters the one FaqTopicSelector names,"
        " or the one the conversation's subject calls for (bot.answers.faq.context)"
    ),
    r"'utter_faq' is (listed as a response action in the domain file, but there is no"
    r" matching response|used in the stories, but is not a valid utterance action)": (
        "utter_faq is Rasa's retrieval action of the intent faq (ActionRetrieveResponse);"
        " its answers are named utter_faq_<topic>, not utter_faq/<topic>, so that editing"
        " one retrains no NLU component"
    ),
    r"Slot auto-fill has been removed in 3.0": (
        "Rasa raises it for every domain with slots (validate_slot_mappings) and its own"
        " CLI filters it; the lead form's slots use explicit custom mappings"
    ),
    r"The intent 'confirm_lead' is listed in the domain file, but is not found in the NLU": (
        "the payload of the lead summary's 'Send it' button, never typed by a visitor"
    ),
    r"The intent 'inform' is not used in any story or rule": (
        "answers to the lead form's questions: the form's validation action reads them"
        " (actions/lead_form.py), no rule needs to"
    ),
    r"The utterance 'utter_(ask_lead_form_\w+|\w+_invalid_\w+)' is not used": (
        "asked by the lead form (Rasa's utter_ask_<form>_<slot>) or uttered by its"
        " validation action when it refuses an answer (actions/lead_form.py)"
    ),
    r"The utterance 'utter_(lead_\w+|nothing_to_cancel|nothing_to_send|choose_lead_field"
    r"|engagement_models_explained)' is not used": (
        "uttered by the lead actions (actions/lead.py, actions/lead_form.py)"
    ),
    r"does not include a response selector component": (
        "the FAQ topic is chosen by bot.rasa_plugins.nlu.faq_topic_selector.FaqTopicSelector,"
        " which fills response_selector.faq as Rasa's ResponseSelector would"
    ),
}


@dataclass
class ValidationReport:
    """The outcome of one validation run."""

    explained: list[tuple[str, str]] = field(default_factory=list)
    unexplained: list[str] = field(default_factory=list)
    # What the project's own checks (bot/training/project_checks.py) found.
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every warning is explained and the project's checks pass."""
        return not self.unexplained and not self.problems


def classify(
    messages: list[str], explained: dict[str, str] = EXPLAINED_WARNINGS
) -> ValidationReport:
    """Sorts warning messages into explained (with their reason) and unexplained."""
    report = ValidationReport()
    for message in dict.fromkeys(messages):  # keeps order, drops repeats
        reason = next(
            (why for pattern, why in explained.items() if re.search(pattern, message)), None
        )
        if reason is None:
            report.unexplained.append(message)
        else:
            report.explained.append((message, reason))
    return report


def validate_project(root: Path = Path(".")) -> ValidationReport:
    """Runs Rasa's validation of domain, NLU data and stories, then the project's checks.

    Raises:
        SystemExit: when Rasa itself finds errors (it exits with a message).
    """
    from rasa.cli.utils import validate_files
    from rasa.shared.importers.importer import TrainingDataImporter

    importer = TrainingDataImporter.load_from_config(
        config_path=str(root / "config.yml"),
        domain_path=str(root / "domain.yml"),
        training_data_paths=[str(root / "data")],
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        validate_files(fail_on_warnings=False, max_history=None, importer=importer)
    messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    report = classify(messages)
    report.problems = run_checks(load_project(root))
    return report
