"""Seal the reception register's identities (docs/protection.md): add the sealed columns, seal every
existing row's name, address, ID number, phone and e-mail in the vault (in memory; to the escrow key and the
protection officers the unit and the unit above have at this point), then drop the plaintext columns.
Written against the historical models and the pure crypto functions, so later model changes cannot break
it. On SQLite run ``pakn protection scrub`` afterwards so the freed pages are rewritten."""

import json

import django.db.models.deletion
from django.db import migrations, models


def seal_existing(apps, schema_editor):
    Booking = apps.get_model("reception", "Booking")
    Entry = apps.get_model("reception", "Entry")
    if not (Booking.objects.exists() or Entry.objects.exists()):
        return
    from pakn.protection import crypto, keys, redact

    Unit = apps.get_model("org", "Unit")
    Membership = apps.get_model("org", "Membership")
    RecipientKey = apps.get_model("protection", "RecipientKey")
    VaultConfig = apps.get_model("protection", "VaultConfig")
    VaultItem = apps.get_model("protection", "VaultItem")
    KeyWrap = apps.get_model("protection", "KeyWrap")
    config = VaultConfig.objects.select_related("escrow").filter(pk=1).first() or keys.install_config(
        escrow_public=keys.new_deployment_escrow_public_key(), models=(RecipientKey, VaultConfig)
    )
    redaction_key = keys.redaction_key()
    notify_public = keys.notify_public_key()

    def recipients(unit_id):
        unit = Unit.objects.get(pk=unit_id)
        units = [unit.pk] + ([unit.parent_id] if unit.parent_id else [])
        officers = Membership.objects.filter(unit_id__in=units, role="protection_officer").values("user_id")
        return [
            config.escrow,
            *RecipientKey.objects.filter(kind="officer", retired_at__isnull=True, user_id__in=officers),
        ]

    def seal(unit_id, identity, label):
        data_key = crypto.new_data_key()
        item = VaultItem.objects.create(
            unit_id=unit_id,
            kind="person",
            label=label[:200],
            ciphertext=crypto.b64e(crypto.encrypt(data_key, json.dumps(identity, ensure_ascii=False).encode())),
        )
        KeyWrap.objects.bulk_create(
            [
                KeyWrap(
                    item=item, recipient=r, sealed_key=crypto.b64e(crypto.seal(crypto.b64d(r.public_key), data_key))
                )
                for r in recipients(unit_id)
            ]
        )
        return item.pk, redact.identity_terms(identity, redaction_key)

    def sealed_contact(channel, contact):
        return crypto.b64e(crypto.seal(notify_public, json.dumps({"c": channel, "to": contact}).encode()))

    def clean(text, terms):
        return redact.redact(text, terms, redaction_key).text

    for booking in Booking.objects.select_related("session").iterator():
        identity = {"name": booking.name, "phone": booking.phone, "email": booking.email, "address": booking.address}
        booking.identity_id, booking.redaction_terms = seal(
            booking.session.unit_id, identity, f"Đăng ký tiếp lượt {booking.slot}, ngày {booking.session.date:%d/%m/%Y}"
        )
        booking.contact_digests = [
            keys.contact_digest(c, t) for c, t in (("sms", booking.phone), ("email", booking.email)) if t
        ]
        channel, contact = ("email", booking.email) if booking.email else ("sms", booking.phone)
        booking.notify_channel = channel if contact else ""
        booking.notify_sealed = sealed_contact(channel, contact) if contact else ""
        booking.summary = clean(booking.summary, booking.redaction_terms)
        booking.save()
    for entry in Entry.objects.iterator():
        identity = {"name": entry.name, "address": entry.address, "id_number": entry.id_number, "phone": entry.phone}
        entry.identity_id, entry.redaction_terms = seal(
            entry.unit_id, identity, f"Sổ tiếp công dân số {entry.number}/{entry.year}"
        )
        entry.verifiable = bool(entry.name and (entry.address or entry.id_number or entry.phone))
        entry.notify_sealed = sealed_contact("sms", entry.phone) if entry.phone else ""
        for field in ("summary", "follow_up", "handled_before", "guidance_document", "notice_document"):
            setattr(entry, field, clean(getattr(entry, field), entry.redaction_terms))
        entry.save()


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0002_protection_officer_role"),
        ("protection", "0004_reveal_person_items"),
        ("reception", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="booking",
            name="contact_digests",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="booking",
            name="identity",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="protection.vaultitem",
            ),
        ),
        migrations.AddField(
            model_name="booking",
            name="notify_channel",
            field=models.CharField(blank=True, max_length=10),
        ),
        migrations.AddField(
            model_name="booking",
            name="notify_sealed",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="booking",
            name="redaction_terms",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="entry",
            name="identity",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="protection.vaultitem",
            ),
        ),
        migrations.AddField(
            model_name="entry",
            name="notify_sealed",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="entry",
            name="redaction_terms",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="entry",
            name="verifiable",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="booking",
            name="address",
        ),
        migrations.RemoveField(
            model_name="booking",
            name="email",
        ),
        migrations.RemoveField(
            model_name="booking",
            name="name",
        ),
        migrations.RemoveField(
            model_name="booking",
            name="phone",
        ),
        migrations.RemoveField(
            model_name="entry",
            name="address",
        ),
        migrations.RemoveField(
            model_name="entry",
            name="id_number",
        ),
        migrations.RemoveField(
            model_name="entry",
            name="name",
        ),
        migrations.RemoveField(
            model_name="entry",
            name="phone",
        ),
    ]
