"""Messages written with a link to /status/, a page that never existed (the status page is
/me/): eight kinds of notice pointed there, so their readers followed the link to a 404."""

from django.db import migrations


def relink(apps, schema_editor):
    apps.get_model("notices", "Message").objects.filter(link="/status/").update(link="/me/")


class Migration(migrations.Migration):
    dependencies = [("notices", "0005_message_context_attempt_receipt")]

    operations = [migrations.RunPython(relink, migrations.RunPython.noop)]
