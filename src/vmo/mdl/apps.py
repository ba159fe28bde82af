from django.apps import AppConfig


class MdlConfig(AppConfig):
    name = "vmo.mdl"
    verbose_name = "ISO/IEC 18013-5 mobile driving licence"
