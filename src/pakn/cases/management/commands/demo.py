from django.core.management.base import BaseCommand

from pakn.cases.demo import DEMO_PASSWORD, DEMO_USERS, demo_receipts, load_demo


class Command(BaseCommand):
    help = "Tạo tài khoản và hồ sơ mẫu (chạy lại không tạo thêm)."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        created = load_demo()
        from pakn.reception.demo import load_demo as load_reception_demo

        load_reception_demo()
        from pakn.open311.demo import ensure_demo_key

        ensure_demo_key()
        self.stdout.write(
            f"Đã tạo {created} hồ sơ mẫu. Tài khoản (mật khẩu {DEMO_PASSWORD}): admin, "
            + ", ".join(u[0] for u in DEMO_USERS)
        )
        for receipt in demo_receipts:
            self.stdout.write(f"Biên nhận hộp thư ẩn danh mẫu / demo drop-box receipt: {receipt}")
