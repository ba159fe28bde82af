from django.contrib import admin

from .models import CalendarDay, DataAccess, Event, OfficeConfig


@admin.register(OfficeConfig)
class OfficeConfigAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):  # one row only
        return not OfficeConfig.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from .services import office_config_update

        office_config_update(
            actor=request.user,
            reason="admin",
            **{name: form.cleaned_data[name] for name in form.changed_data},
        )


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["day", "is_working_day", "name", "provisional"]
    list_filter = ["is_working_day", "provisional"]
    date_hierarchy = "day"

    def save_model(self, request, obj, form, change):
        from .services import calendar_day_set

        calendar_day_set(
            actor=request.user,
            day=obj.day,
            is_working_day=obj.is_working_day,
            name=obj.name,
            reason="admin",
        )


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "actor_label", "subject_type", "subject_id", "action"]
    list_filter = ["subject_type", "action"]
    search_fields = ["subject_id", "actor_label", "request_id"]


@admin.register(DataAccess)
class DataAccessAdmin(ReadOnlyAdmin):
    list_display = ["accessed_at", "officer_label", "person_id", "screen"]
    search_fields = ["officer_label", "person_id"]
