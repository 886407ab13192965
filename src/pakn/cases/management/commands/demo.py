from django.core.management.base import BaseCommand

from pakn.cases.demo import DEMO_PASSWORD, demo_receipts, load_demo
from pakn.core.people import person_name


class Command(BaseCommand):
    help = "Tạo tài khoản và hồ sơ mẫu (chạy lại không tạo thêm), rồi in mọi tài khoản mẫu."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        created = load_demo()
        from pakn.reception.demo import load_demo as load_reception_demo

        load_reception_demo()
        from pakn.hotline.demo import load_demo as load_hotline_demo

        load_hotline_demo()
        from pakn.frontdesk.demo import load_demo as load_front_demo

        load_front_demo()
        from pakn.open311.demo import ensure_demo_key

        ensure_demo_key()
        from pakn.core.jobs import drain

        drain()  # the demo cases' jobs (search index, statistics, suggestions), before the first page is opened
        self.stdout.write(f"Đã tạo {created} hồ sơ mẫu. / {created} demo cases created.")
        self.stdout.write(f"Tài khoản mẫu, mật khẩu / demo accounts, password: {DEMO_PASSWORD}")
        for line in demo_account_lines():
            self.stdout.write(f"  {line}")
        for receipt in demo_receipts:
            self.stdout.write(f"Biên nhận hộp thư ẩn danh mẫu / demo drop-box receipt: {receipt}")
        from pakn.accounts.demo import DEMO_OTP_SECRET, enrol_demo_users

        enrolled = enrol_demo_users()  # officers and administrators must use a second factor
        if enrolled:
            self.stdout.write(
                "Xác thực hai bước / two-factor login: "
                + ", ".join(enrolled)
                + f" – khóa bí mật / authenticator secret (TOTP): {DEMO_OTP_SECRET}"
            )


def demo_account_lines() -> list[str]:
    """Every account of the demo (whatever created it), with its roles: nothing printed is left out."""
    from django.contrib.auth import get_user_model

    from pakn.org.models import Membership

    lines = []
    for user in get_user_model().objects.filter(email__endswith="@example.vn").order_by("username"):
        roles = [
            f"{m.get_role_display()} – {m.unit.name}"
            for m in Membership.objects.filter(user=user).select_related("unit").order_by("unit__code")
        ]
        if user.is_superuser:
            roles.insert(0, "Quản trị hệ thống / administrator")
        lines.append(f"{user.get_username():<16} {person_name(user):<18} {'; '.join(roles)}")
    return lines
