"""The actions, slots and forms whose events tell what happened in a conversation.

``bot review`` and ``bot stats`` read the same events; both take the names
from here, so "fell back" and "answered from the articles" mean one thing.
"""

from __future__ import annotations

NLU_FALLBACK = "nlu_fallback"  # the intent Rasa's FallbackClassifier predicts
DEFAULT_FALLBACK_ACTION = "action_default_fallback"  # Rasa's, when no policy is sure
KNOWLEDGE_ACTION = "action_answer_from_knowledge"  # actions/faq.py
# Set by the knowledge action: the question when a section answered it, else null.
KNOWLEDGE_QUESTION_SLOT = "knowledge_question"
LEAD_FORM = "lead_form"
SUBMIT_ACTION = "action_submit_lead"
CANCEL_ACTION = "action_cancel_lead"
CANCELLED_RESPONSE = "utter_lead_cancelled"
