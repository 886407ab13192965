"""The reporter's identity leaves the Reporter table for the vault (pakn.protection).

Existing rows are sealed to the deployment's escrow key (the only recipient that exists at this point;
protection officers are added afterwards and re-sealed to with ``pakn protection reseal``), the case
texts are redacted, the notification contact is sealed to the notifier key, and the plaintext columns are
dropped. On SQLite run ``pakn protection scrub`` afterwards so the freed pages are rewritten."""

import json

from django.db import migrations, models


def seal_legacy_reporters(apps, schema_editor):
    Reporter = apps.get_model("cases", "Reporter")
    Case = apps.get_model("cases", "Case")
    legacy = list(Reporter.objects.exclude(name="", phone="", email="", id_number="", address=""))
    if not legacy:
        return
    from django.conf import settings

    from pakn.protection import crypto, redact
    from pakn.protection.keys import key_path, notify_public_key, read_key_file, redaction_key, write_key_file

    RecipientKey = apps.get_model("protection", "RecipientKey")
    VaultConfig = apps.get_model("protection", "VaultConfig")
    VaultItem = apps.get_model("protection", "VaultItem")
    KeyWrap = apps.get_model("protection", "KeyWrap")
    config = VaultConfig.objects.filter(pk=1).first()
    if config is None:
        path = key_path("ESCROW_KEY_FILE", "escrow.key")
        if not path.exists():
            write_key_file(path, crypto.new_keypair()[1], "PAKN escrow private key: move it offline.")
        escrow = RecipientKey.objects.create(
            kind="escrow", public_key=crypto.b64e(crypto.public_of(read_key_file(path)))
        )
        opslimit, memlimit = crypto.PROFILES[settings.ARGON2_PROFILE]
        config = VaultConfig.objects.create(
            pk=1,
            escrow=escrow,
            receipt_salt=crypto.b64e(crypto.new_data_key()[:16]),
            receipt_opslimit=opslimit,
            receipt_memlimit=memlimit,
        )
    escrow_public = crypto.b64d(config.escrow.public_key)
    key = redaction_key()
    for reporter in legacy:
        case = Case.objects.get(pk=reporter.case_id)
        identity = {f: getattr(reporter, f) for f in ("name", "phone", "email", "id_number", "address")}
        data_key = crypto.new_data_key()
        payload = {
            **identity,
            "notify_by": reporter.notify_by,
            "title": case.title,
            "content": case.content,
            "case_address": case.address,
            "subject": case.subject,
        }
        item = VaultItem.objects.create(
            case_id=case.pk,
            kind="identity",
            needs_reseal=True,
            ciphertext=crypto.b64e(crypto.encrypt(data_key, json.dumps(payload, ensure_ascii=False).encode())),
        )
        KeyWrap.objects.create(
            item=item, recipient=config.escrow, sealed_key=crypto.b64e(crypto.seal(escrow_public, data_key))
        )
        terms = redact.identity_terms(identity, key)
        case.title = redact.redact(case.title, terms, key).text[:200]
        case.content = redact.redact(case.content, terms, key).text
        case.address = redact.redact(case.address, terms, key).text[:300]
        case.subject = redact.redact(case.subject, terms, key).text[:300]
        case.save(update_fields=["title", "content", "address", "subject"])
        contact = None
        if reporter.notify_by == "email" and reporter.email:
            contact = {"c": "email", "to": reporter.email}
        elif reporter.notify_by == "sms" and reporter.phone:
            contact = {"c": "sms", "to": reporter.phone}
        reporter.notify_sealed = (
            crypto.b64e(crypto.seal(notify_public_key(), json.dumps(contact).encode())) if contact else ""
        )
        if contact is None:
            reporter.notify_by = "none"
        reporter.redaction_terms = terms
        reporter.name = reporter.phone = reporter.email = reporter.id_number = reporter.address = ""
        reporter.save()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("protection", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="reporter",
            name="notify_sealed",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="reporter",
            name="redaction_terms",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(seal_legacy_reporters, migrations.RunPython.noop),
        migrations.RemoveField(model_name="reporter", name="address"),
        migrations.RemoveField(model_name="reporter", name="email"),
        migrations.RemoveField(model_name="reporter", name="id_number"),
        migrations.RemoveField(model_name="reporter", name="name"),
        migrations.RemoveField(model_name="reporter", name="phone"),
        migrations.AlterField(
            model_name="reporter",
            name="notify_by",
            field=models.CharField(
                choices=[("email", "Thư điện tử"), ("sms", "Tin nhắn SMS"), ("none", "Không nhận thông báo")],
                default="none",
                max_length=10,
                verbose_name="nhận thông báo qua",
            ),
        ),
    ]
