from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    """Announcements (公告) and publications (公布) of the office."""

    name = "vmo.bulletins"
    label = "bulletins"
