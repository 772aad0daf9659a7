"""``huhang surveys``: publish questionnaires, invite the parties of closed cases, create demo answers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from huhang.surveys import conf, selectors, services
from huhang.surveys.models import Answer


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--since {value!r} is not a date (YYYY-MM-DD)") from None


def _refusal(error: ValidationError | PermissionDenied) -> CommandError:
    messages = error.messages if isinstance(error, ValidationError) else [str(error)]
    return CommandError("\n".join(messages))


class Command(BaseCommand):
    help = "Satisfaction surveys (K1): load or publish questionnaires, invite parties of closed cases, demo answers."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="command", required=True)
        sub.add_parser("load-default", help="publish the shipped questionnaire (知识产权保护社会满意度调查问卷) if new")
        publish = sub.add_parser("publish", help="publish a questionnaire from a JSON file as its next version")
        publish.add_argument("file")
        invite = sub.add_parser("invite-closed", help="invite the parties of closed cases that have no invitation")
        invite.add_argument("--since", type=_date, help="only cases closed on or after this date (YYYY-MM-DD)")
        demo = sub.add_parser("demo", help="create demo answers over the last 18 months (marked demo)")
        demo.add_argument("--if-empty", action="store_true", help="only when there are no answers yet")
        demo.add_argument("--count", type=int, default=540)
        demo.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, command, **options):
        if command == "load-default":
            return self._load_default()
        if command == "publish":
            return self._publish(options["file"])
        if command == "invite-closed":
            return self._invite(options["since"])
        return self._demo(options["if_empty"], options["count"], options["seed"])

    def _load_default(self) -> None:
        try:
            questionnaire, new = services.questionnaire_load_default()
        except ValidationError as error:
            raise _refusal(error) from None
        name = f"{questionnaire.code} v{questionnaire.version}"
        if new:
            self.stdout.write(f"已发布 Published {name}: {questionnaire.title_zh}")
        else:
            self.stdout.write(f"已是最新 Already published: {name}")

    def _publish(self, file: str) -> None:
        path = Path(file)
        try:
            definition = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from None
        except ValueError as exc:
            raise CommandError(f"{file} is not valid JSON: {exc}") from None
        try:
            questionnaire = services.questionnaire_publish(definition=definition)
        except ValidationError as error:
            raise _refusal(error) from None
        self.stdout.write(f"已发布 Published {questionnaire.code} v{questionnaire.version}: {questionnaire.title_zh}")

    def _invite(self, since: dt.date | None) -> None:
        cases = list(selectors.cases_without_invitation(since=since))
        made = 0
        base = conf.public_url()
        for case in cases:
            try:
                invitations = services.survey_invite_parties(case)
            except (ValidationError, PermissionDenied) as error:
                raise _refusal(error) from None
            for invitation in invitations:
                made += 1
                party = invitation.party.name if invitation.party else "-"
                link = base + reverse("surveys:invitation", args=[invitation.token])
                expires = timezone.localdate(invitation.expires_at).isoformat()
                self.stdout.write(f"{case.number}\t{party}\t{expires}\t{link}")
        self.stdout.write(f"邀请已生成 Invitations made: {made} for {len(cases)} closed cases")

    def _demo(self, if_empty: bool, count: int, seed: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from huhang.surveys.demo import generate_demo_answers

        if if_empty and Answer.objects.exists():
            self.stdout.write("已有满意度答卷，未生成演示数据。 Survey answers exist: no demo answers added.")
            return
        if count < 1:
            raise CommandError("--count must be 1 or more")
        console = Console(stderr=True)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, disable=not console.is_terminal) as bar:
            task = bar.add_task("生成满意度演示答卷 Generating demo answers", total=count)
            result = generate_demo_answers(
                count=count, seed=seed, progress=lambda done, total: bar.update(task, completed=done)
            )
        self.stdout.write(
            f"演示答卷已生成 Demo answers: {result.portal} portal, {result.case} after closed cases "
            f"({result.invitations} invitations), {result.not_counted} not counted"
        )
