"""Education: the library (courses, lessons, questions), study records with server-measured
time, quiz attempts, the legal effects (E01 reductions, E02 full-score study, E03 verification
study), the abuse log and the warnings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vmo.core.review import ReviewedContent

from .choices import (
    AttemptKind,
    BodyFormat,
    ContentStatus,
    EnrolmentStatus,
    LessonKind,
    Purpose,
    RegionalKind,
    WarningRule,
)


class Course(ReviewedContent):
    """Reviewed as all content is (vmo.core.review: author_ids, reviewed_by)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=120)
    title_en = models.CharField(_("title (English)"), max_length=160)
    summary_zh = models.TextField(_("summary (Chinese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    purpose = models.CharField(
        _("purpose"), max_length=8, choices=Purpose.choices, default=Purpose.GENERAL
    )
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=80)
    quiz_questions = models.PositiveSmallIntegerField(_("questions per quiz"), default=10)
    status = models.CharField(
        _("status"), max_length=10, choices=ContentStatus.choices, default=ContentStatus.DRAFT
    )
    # "file:<name>" for the shipped library, "" for courses written in the app.
    source = models.CharField(_("source"), max_length=120, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["purpose", "code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark__gte=1, pass_mark__lte=100), name="course_pass_mark_range"
            )
        ]

    def __str__(self) -> str:
        return self.code


class Lesson(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="lessons")
    code = models.SlugField(_("code"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(
        _("kind"), max_length=8, choices=LessonKind.choices, default=LessonKind.ARTICLE
    )
    minimum_minutes = models.PositiveSmallIntegerField(_("minimum study time (minutes)"))
    title_zh = models.CharField(_("title (Chinese)"), max_length=160)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_format = models.CharField(
        max_length=4, choices=BodyFormat.choices, default=BodyFormat.TEXT
    )
    body_zh = models.TextField(_("text (Chinese)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    video = models.CharField(_("video file"), max_length=200, blank=True)
    captions_zh = models.TextField(_("captions (Chinese, WebVTT)"), blank=True)
    captions_en = models.TextField(_("captions (English, WebVTT)"), blank=True)
    transcript_zh = models.TextField(_("transcript (Chinese)"), blank=True)
    transcript_en = models.TextField(_("transcript (English)"), blank=True)
    # [{"file": "x.svg", "alt_zh": "...", "alt_en": "..."}]
    images = models.JSONField(_("images"), default=list, blank=True)
    # A lesson dropped from its file is retired, not deleted: study records point at it.
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["course", "position", "id"]

    def __str__(self) -> str:
        return self.code

    @property
    def minimum_seconds(self) -> int:
        return int(self.minimum_minutes) * 60


class Question(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="questions")
    lesson = models.ForeignKey(
        Lesson, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    text_zh = models.TextField(_("question (Chinese)"))
    text_en = models.TextField(_("question (English)"))
    choices_zh = models.JSONField(_("choices (Chinese)"))
    choices_en = models.JSONField(_("choices (English)"))
    answer = models.PositiveSmallIntegerField(_("right choice (from 0)"))
    explanation_zh = models.TextField(_("explanation (Chinese)"))
    explanation_en = models.TextField(_("explanation (English)"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["course", "code"]

    def __str__(self) -> str:
        return self.code


class Enrolment(models.Model):
    """One person's study of one course, from the first lesson opened to the passed quiz."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="enrolments"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    purpose = models.CharField(max_length=8, choices=Purpose.choices)
    status = models.CharField(
        max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.STUDYING
    )
    started_at = models.DateTimeField(_("started at"))
    # E01: the study must be done within three days (R163 Art 27); None = no window.
    window_ends_at = models.DateTimeField(_("study window ends"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    certificate_number = models.CharField(max_length=30, blank=True)
    full_score_study = models.ForeignKey(
        "FullScoreStudy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
    )

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "course"],
                condition=Q(status="studying"),
                name="one_open_enrolment_per_course",
            ),
            models.UniqueConstraint(
                fields=["certificate_number"],
                condition=~Q(certificate_number=""),
                name="certificate_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.course_id} {self.status}"


class LessonProgress(models.Model):
    """The server's view of one lesson's study: when it was opened, when last seen, how much
    time was credited. Nothing here ever comes from a number the client sent."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    seconds = models.PositiveIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="one_progress_per_lesson")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}:{self.lesson_id} {self.seconds}s"


class StudyTime(models.Model):
    """Credited study time per person and day (full-score study days count by the day)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="times")
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(db_index=True)
    seconds = models.PositiveIntegerField()
    credited_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.day} {self.seconds}s"


class QuizAttempt(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    nonce = models.CharField(max_length=64, unique=True)
    question_ids = models.JSONField()
    started_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    correct = models.PositiveSmallIntegerField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("score (%)"), null=True, blank=True)
    passed = models.BooleanField(null=True)
    answers = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"attempt {self.pk} {self.score}"


class PointsReduction(models.Model):
    """A reduction granted for a completed E01 study (R163 Arts 25, 27); the ledger entry is
    the reduction itself, this row links it to the study."""

    licence = models.ForeignKey(
        "registry.DriverLicence", on_delete=models.PROTECT, related_name="reductions"
    )
    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="reduction")
    cycle_start = models.DateField()
    points = models.PositiveSmallIntegerField()
    entry = models.OneToOneField("registry.PointsEntry", on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"-{self.points} {self.cycle_start}"


class FullScoreStudy(models.Model):
    """The study a full score requires (R163 Arts 17-19), one per time the licence reaches it."""

    licence = models.ForeignKey(
        "registry.DriverLicence", on_delete=models.PROTECT, related_name="full_score_studies"
    )
    cycle_start = models.DateField()
    occurrence = models.PositiveSmallIntegerField(_("full score in this cycle"))
    points = models.PositiveSmallIntegerField(_("points when assigned"))
    large_class = models.BooleanField(default=False)
    required_days = models.PositiveSmallIntegerField(_("study days required"))
    online_days_required = models.PositiveSmallIntegerField(_("online study days required"))
    assigned_at = models.DateTimeField()
    # The study days of Art 19 paras 2-3 are met (online and on-site, at least so many on
    # site): the exam may be booked. Cleared again if a cheating finding voids the days.
    completed_at = models.DateTimeField(null=True, blank=True)
    # Online study credited before this moment is void (R163 Art 31 para 1): a finding's time.
    online_void_before = models.DateTimeField(null=True, blank=True)
    # The licence left the full score (exam passed, points cleared): the study is history.
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["licence", "cycle_start", "occurrence"], name="full_score_once"
            ),
            models.UniqueConstraint(
                fields=["licence"], condition=Q(closed_at__isnull=True), name="one_open_full_score"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.licence_id} #{self.occurrence} {self.required_days}d"


class VerificationStudy(models.Model):
    """The online study part of a verification (R162 Arts 72-73), once per due date."""

    licence = models.ForeignKey(
        "registry.DriverLicence", on_delete=models.PROTECT, related_name="verification_studies"
    )
    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    next_due = models.DateField(null=True, blank=True)
    health_declared = models.BooleanField(default=False)
    completed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["licence", "due_date"], name="verification_study_once")
        ]

    def __str__(self) -> str:
        return f"{self.licence_id} {self.due_date}"


class StudyAttempt(models.Model):
    """Append-only log of refused study actions (skipping, too fast, replays, refused claims)."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=14, choices=AttemptKind.choices)
    detail = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField(db_index=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_at:%Y-%m-%d %H:%M}"


class RegionalWarning(ReviewedContent):
    """A warning written by an editor for the people of some regions (holidays, weather...),
    reviewed as all content is (vmo.core.review: author_ids, reviewed_by)."""

    kind = models.CharField(_("kind"), max_length=8, choices=RegionalKind.choices)
    title_zh = models.CharField(_("title (Chinese)"), max_length=120)
    title_en = models.CharField(_("title (English)"), max_length=160)
    body_zh = models.TextField(_("text (Chinese)"))
    body_en = models.TextField(_("text (English)"))
    action_zh = models.CharField(_("what to do (Chinese)"), max_length=300)
    action_en = models.CharField(_("what to do (English)"), max_length=400)
    # Six-digit region codes or their prefixes ("6523" = the whole prefecture), space-separated.
    regions = models.CharField(_("regions"), max_length=300)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    recipient_cap = models.PositiveIntegerField(_("at most this many recipients"), default=5000)
    status = models.CharField(
        max_length=10, choices=ContentStatus.choices, default=ContentStatus.DRAFT
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    sent_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="regional_warning_dates"
            )
        ]

    def __str__(self) -> str:
        return self.title_zh

    @property
    def region_list(self) -> list[str]:
        return self.regions.split()


class WarningHit(models.Model):
    """One targeted warning found by a scan; the dedup key makes a scan run twice send nothing
    twice. Also what the citizen's warnings page lists."""

    rule = models.CharField(max_length=20, choices=WarningRule.choices)
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    dedup_key = models.CharField(max_length=200, unique=True)
    context = models.JSONField(default=dict)
    found_at = models.DateTimeField()

    class Meta:
        ordering = ["-found_at"]
        indexes = [models.Index(fields=["person", "found_at"])]

    def __str__(self) -> str:
        return self.dedup_key


# The on-site days and the cheating findings live in their own module (file size); Django
# finds their models through this import.
from .study_models import CheatingFinding as CheatingFinding  # noqa: E402
from .study_models import OnsiteStudyDay as OnsiteStudyDay  # noqa: E402
