"""Kinds and states of announcements (公告) and publications (公布)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AnnouncementKind(models.TextChoices):
    # Generated from the records by bulletins_run, then reviewed by an editor.
    LICENCES_REVOKED = "licence_revoked", _("Driver's licences revoked")
    LICENCES_CANCELLED = "licence_cancelled", _("Driver's licences cancelled")
    LICENCES_TO_CANCEL = (
        "licence_to_cancel",
        _("Licences to be cancelled for overdue renewal or verification"),
    )
    LICENCES_STOPPED = "licence_stopped", _("Driver's licences stopped from use")
    VEHICLES_FORCIBLY_CANCELLED = "vehicle_forced_cancel", _("Vehicles compulsorily cancelled")
    VEHICLES_LONG_OVERDUE = "vehicle_long_overdue", _("Vehicles long overdue for inspection")
    PLATES_VOID = "plates_void", _("Plates and vehicle licences declared void")
    STOLEN_VEHICLES = "vehicle_stolen", _("Stolen or robbed vehicles")
    UNCLAIMED_VEHICLES = "vehicle_unclaimed", _("Unclaimed impounded vehicles")
    # Written by editors.
    PLATE_BATCHES = "plate_batch", _("Plate number batches released for selection")
    EXAM_SCHEDULES = "exam_schedule", _("Driving-test sites and schedules")
    SERVICE_HALLS = "service_hall", _("Service hall hours and moves")
    NEW_POLICIES = "new_policy", _("New policies")
    TRAFFIC_CONTROL = "traffic_control", _("Traffic control for events and holidays")
    ROAD_CLOSURES = "road_closure", _("Road closures")
    SEVERE_WEATHER = "severe_weather", _("Severe weather")
    BLACK_SPOTS = "black_spot", _("Accident black spots")
    CAMERA_INSTALLATIONS = "camera_install", _("New enforcement cameras")
    DRIVING_SCHOOLS = "driving_school", _("Driving-school notices")
    VEHICLE_RECALLS = "vehicle_recall", _("Vehicle recalls")
    FEE_CHANGES = "fee_change", _("Fee changes")
    PENALTY_BY_ANNOUNCEMENT = "penalty_notice", _("Penalty decisions served by announcement")


class AnnouncementState(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "review", _("in review")
    SCHEDULED = "scheduled", _("scheduled")
    PUBLISHED = "published", _("published")
    EXPIRED = "expired", _("expired")
    WITHDRAWN = "withdrawn", _("withdrawn")


# States in which an approved announcement is (or becomes, at its time) public.
APPROVED_STATES = frozenset({"scheduled", "published", "expired"})


class PublicationKind(models.TextChoices):
    EXAM_APPOINTMENTS = "exam_appointments", _("Driving-test appointment results")
    EXAM_RESULTS = "exam_results", _("Driving-test results")
    PLATE_SELECTIONS = "plate_selections", _("Plate number selection results")
    BUSINESS_STATISTICS = "business_stats", _("Monthly business statistics")
    TIME_LIMITS = "time_limits", _("Time-limit compliance of each business")
    CAMERA_LOCATIONS = "camera_locations", _("Locations of enforcement cameras")
    VIOLATION_HOTSPOTS = "violation_hotspots", _("Violation hot spots")
    SERIOUS_VIOLATORS = "serious_violators", _("Drivers with serious violations")
    KEY_VEHICLES = "key_vehicles", _("Key vehicles with unhandled violations")
    FEE_STANDARDS = "fee_standards", _("Fee standards")
    ACCIDENT_STATISTICS = "accident_stats", _("Accident statistics")
    SCHOOL_PASS_RATES = "school_pass_rates", _("Driving-school pass rates")
    COMPLAINT_RESULTS = "complaint_results", _("Complaint handling results")


class PublicationState(models.TextChoices):
    PUBLISHED = "published", _("published")
    SUPERSEDED = "superseded", _("replaced by a newer table")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Source(models.TextChoices):
    EDITOR = "editor", _("written by an editor")
    RECORDS = "records", _("generated from the records")
    UPLOAD = "upload", _("table uploaded by an editor")
