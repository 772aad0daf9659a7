from django.utils import timezone

from huhang.audit.models import AuditEvent


def audit_record(*, actor, action: str, target: str = "", details: dict | None = None) -> AuditEvent:
    """Record that ``actor`` did ``action`` to ``target``; call inside the action's transaction."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target=target[:200],
        occurred_at=timezone.now(),
        details=details or {},
    )
