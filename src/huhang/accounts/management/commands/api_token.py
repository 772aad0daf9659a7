from django.core.management.base import BaseCommand, CommandError

from huhang.accounts.models import User
from huhang.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Issue an API token for a partner system's user; the key is printed once and never stored."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="user name the token acts as")
        parser.add_argument("--name", required=True, help="which system uses the token")
        parser.add_argument("--days", type=int, default=365, help="days until it expires (0: never)")
        parser.add_argument("--as", dest="actor", required=True, help="administrator issuing the token")

    def handle(self, *args, user, name, days, actor, **options):
        try:
            owner = User.objects.get(username=user)
            admin = User.objects.get(username=actor)
        except User.DoesNotExist as exc:
            raise CommandError(f"No such user: {exc}") from None
        token, key = api_token_create(actor=admin, user=owner, name=name, days=days or None)
        self.stdout.write(key)
        self.stderr.write(f"token {token.prefix}… for {owner} expires {token.expires_at or 'never'}")
