import pytest
from django.core.exceptions import ValidationError

from huhang.accounts.models import User
from huhang.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_administrator_role_opens_the_admin(client, administrator, handler):
    assert administrator.is_staff and administrator.is_superuser
    client.force_login(administrator)
    assert client.get("/admin/registry/entity/").status_code == 200
    client.force_login(handler)
    assert client.get("/admin/registry/entity/").status_code == 302


def test_command_line_superuser_is_an_administrator():
    user = User.objects.create_superuser(username="root", password="a long passphrase")
    assert user.role == Role.ADMIN


def test_staff_must_belong_to_an_organisation():
    user = User(username="x", role=Role.HANDLER)
    with pytest.raises(ValidationError) as exc:
        user.full_clean()
    assert "organisation" in exc.value.message_dict


def test_applicant_cannot_belong_to_an_organisation(centre):
    user = User(username="y", role=Role.APPLICANT, organisation=centre)
    with pytest.raises(ValidationError) as exc:
        user.full_clean()
    assert "organisation" in exc.value.message_dict
