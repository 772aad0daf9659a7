"""Satisfaction surveys (K1 知识产权保护社会满意度): versioned questionnaires, answers from the public portal and
from invitations sent after a case closes, and the weighted score with its sample size (docs/surveys.md)."""
