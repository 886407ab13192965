from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "question_asked": _("Cơ quan xử lý đặt câu hỏi cho người gửi"),
    "identity_revealed": _("Danh tính người gửi đã được mở theo quy định (có căn cứ pháp lý và hai cán bộ phê duyệt)"),
    "reveal_requested": _("Đề nghị mở danh tính người gửi"),
    "reveal_approved": _("Phê duyệt đề nghị mở danh tính"),
    "reveal_rejected": _("Từ chối đề nghị mở danh tính"),
    "reveal_expired": _("Phê duyệt mở danh tính hết hạn"),
    "original_opened": _("Mở tệp gốc theo đề nghị đã phê duyệt"),
    "verification_copy_made": _("Lập bản sao phục vụ xác minh (Điều 56 Luật Tố cáo)"),
    "protection_requested": _("Đề nghị áp dụng biện pháp bảo vệ"),
    "protection_decided": _("Quyết định về đề nghị bảo vệ"),
    "vault_resealed": _("Niêm phong lại khóa danh tính"),
    # retention.py, retention_rights.py (docs/retention.md)
    "personal_data_erased": _("Xóa dữ liệu cá nhân theo quy định thời hạn lưu trữ"),
    "personal_data_exported": _("Người gửi nhận bản sao dữ liệu cá nhân"),
    "erasure_requested": _("Người gửi đề nghị xóa dữ liệu cá nhân"),
    "retention_hold_placed": _("Tạm dừng xóa dữ liệu cá nhân theo yêu cầu của cơ quan có thẩm quyền"),
    "retention_hold_released": _("Bỏ tạm dừng xóa dữ liệu cá nhân"),
}

RESEAL_ACTIONS = {"forwarded", "escalated", "merged", "merge_received"}


class ProtectionConfig(AppConfig):
    """Reporter protection: identity vault, audited reveal, drop box, clean attachments."""

    name = "pakn.protection"
    label = "protection"
    verbose_name = "Bảo vệ người tố cáo"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.core import checks
        from django.db.models.signals import post_delete, post_save, pre_save

        from pakn.cases import presenters
        from pakn.org.models import Membership

        # The case timeline labels of the protection events (presenters reads this table).
        for action, label in EVENT_LABELS.items():
            presenters.EVENT_LABELS.setdefault(action, label)

        post_save.connect(_membership_saved, sender=Membership, dispatch_uid="pakn.protection.membership_saved")
        post_delete.connect(_membership_deleted, sender=Membership, dispatch_uid="pakn.protection.membership_deleted")
        pre_save.connect(_password_changed, sender=get_user_model(), dispatch_uid="pakn.protection.password")
        checks.register(_check_escrow_offline, checks.Tags.security, deploy=True)

        # The key files and the encrypted folders, for the operators (core imports no feature: registered here).
        from pakn.core import backup, health
        from pakn.protection import health as protection_health
        from pakn.protection.vault import FILES_DIR, VAULT_DIR

        checks.register(protection_health.check_key_files, checks.Tags.database)
        health.register("keys", protection_health.readiness, required=True)
        backup.register(folders=(VAULT_DIR, FILES_DIR), keys=protection_health.backup_source())


def _membership_saved(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    from pakn.org.models import Role
    from pakn.protection import vault

    if instance.role == Role.PROTECTION_OFFICER:
        vault.mark_for_reseal(vault.items_of_units([instance.unit_id]))


def _membership_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from pakn.org.models import Role
    from pakn.protection import services

    if instance.role == Role.PROTECTION_OFFICER:
        services.officer_left(user_id=instance.user_id, unit_id=instance.unit_id)


def _password_changed(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    """A password changed outside ``protection.services.change_password`` (admin, reset): the officer's
    key is still locked with the old one; flag it so the key page asks for the old password once."""
    if instance.pk is None or getattr(instance, "_pakn_relocking", False):
        return
    if update_fields is not None and "password" not in update_fields:
        return
    from pakn.protection.models import RecipientKey

    old = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if old is not None and old != instance.password:
        RecipientKey.objects.filter(user_id=instance.pk, retired_at__isnull=True).update(relock_needed=True)


def _check_escrow_offline(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    from django.core import checks

    from pakn.protection.keys import key_path

    if key_path("ESCROW_KEY_FILE", "escrow.key").exists():
        return [
            checks.Warning(
                "The escrow private key is on this server.",
                hint="Move it offline (docs/protection.md, 'Escrow key'); the server needs only its public key.",
                id="pakn.W001",
            )
        ]
    return []
