"""Citizens' identities at an OpenID Connect provider (VNeID or another issuer, docs/citizen-login.md).

The provider's ``sub`` (subject), with its issuer, is the stable key of a citizen who logs in there: never a
username, never an e-mail address. Nothing else of the provider's answer is stored here; the name (and a
verified e-mail address) go on the citizen's own account, and a national ID number is never read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CitizenIdentity(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="citizen_identities",
        verbose_name=_("Tài khoản"),
    )
    issuer = models.CharField(_("Nhà cung cấp định danh"), max_length=255)
    subject = models.CharField(_("Mã định danh tại nhà cung cấp"), max_length=255)
    created_at = models.DateTimeField(_("Ngày liên kết"), default=timezone.now)
    last_login_at = models.DateTimeField(_("Lần đăng nhập gần nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("Danh tính công dân")
        verbose_name_plural = _("Danh tính công dân")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="accounts_identity_issuer_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} #{self.pk}"
