"""Seal the reception register's identities (docs/protection.md): add the sealed columns, seal every
existing row's name, address, ID number, phone and e-mail in the vault (in memory, through the same
functions the services use), then drop the plaintext columns."""

import django.db.models.deletion
from django.db import migrations, models


def seal_existing(apps, schema_editor):
    # The current models: sealing goes through the vault exactly as a new row would.
    from pakn.org.models import Unit
    from pakn.protection import keys, redact, vault
    from pakn.protection.notifier import seal_contact

    Booking = apps.get_model("reception", "Booking")
    Entry = apps.get_model("reception", "Entry")
    key = keys.redaction_key()

    def seal(unit_id, identity, label):
        unit = Unit.objects.get(pk=unit_id)
        item = vault.seal_for_unit(unit=unit, data=identity, label=label)
        return item.pk, redact.identity_terms(identity, key)

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
        booking.notify_sealed = seal_contact(channel, contact) if contact else ""
        booking.summary = redact.redact(booking.summary, booking.redaction_terms, key).text
        booking.save()
    for entry in Entry.objects.iterator():
        identity = {"name": entry.name, "address": entry.address, "id_number": entry.id_number, "phone": entry.phone}
        entry.identity_id, entry.redaction_terms = seal(
            entry.unit_id, identity, f"Sổ tiếp công dân số {entry.number}/{entry.year}"
        )
        entry.verifiable = bool(entry.name and (entry.address or entry.id_number or entry.phone))
        entry.notify_sealed = seal_contact("sms", entry.phone) if entry.phone else ""
        entry.summary = redact.redact(entry.summary, entry.redaction_terms, key).text
        entry.follow_up = redact.redact(entry.follow_up, entry.redaction_terms, key).text
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
