"""One reviewed-content mechanism: draft -> second editor reviews -> published.

Announcements, regulation summaries, courses and regional warnings all keep, on the item, the
people named in its history as writer, editor or submitter (`author_ids`), and all refuse the
same way: nobody in that list may approve (publish) it or return it. Each kind keeps its own
states and fields; what they share is here, so the rule is written once.

The services of each kind call `review_work_record` in every write that shapes the text (create,
edit, add a part, submit) and `review_require_reviewer` before approving or returning; the kinds
whose steps are plain (announcements, regulation summaries) call the steps below (`reviewed_*`)
with their `ReviewSteps`. Officer pages read `review_context` and include
`includes/review_status.html`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from vmo.core import clock
from vmo.core.pagecache import public_pages_changed
from vmo.core.services import event_record

if TYPE_CHECKING:
    from vmo.accounts.models import User

# The state values every kind of reviewed content uses for these two steps.
DRAFT = "draft"
IN_REVIEW = "review"


class ReviewedContent(models.Model):
    """The fields a reviewed item needs; its states stay in its own choices."""

    # Everyone who wrote, edited or submitted it: none of them may approve it.
    author_ids = models.JSONField(default=list, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    def worked_on(self, user: Any) -> bool:
        """Whether the user is named in its history as writer, editor or submitter."""
        pk = getattr(user, "pk", None)
        return pk is not None and pk in self.author_ids


Item = TypeVar("Item", bound=ReviewedContent)

OWN_WORK = gettext_lazy("You wrote, edited or submitted this: another editor must review it.")


def review_lock(item: Item) -> Item:
    """The item again, under a row lock for the rest of the transaction."""
    return type(item)._default_manager.select_for_update().get(pk=item.pk)


def review_work_record(*, item: ReviewedContent, actor: User) -> None:
    """Name the actor as one who worked on the item (the caller saves it)."""
    pk = getattr(actor, "pk", None)
    if pk is not None and pk not in item.author_ids:
        item.author_ids = [*item.author_ids, pk]


def review_problems(*, item: ReviewedContent, actor: User) -> list[ValidationError]:
    """Why the actor may not review the item (empty when they may), for services that list
    every problem at once."""
    return [ValidationError(str(OWN_WORK), code="own_work")] if item.worked_on(actor) else []


def review_require_reviewer(*, item: ReviewedContent, actor: User) -> None:
    for problem in review_problems(item=item, actor=actor):
        raise problem


def review_context(
    *, user: Any, item: ReviewedContent, in_review: bool, can_review: bool
) -> dict[str, Any]:
    """What an officer page shows about the review: whether this user may approve or return it
    (`may_review`), or is refused because it is their own work (`own_work`), and who worked
    on it (`contributors`). The same rule as `review_require_reviewer`."""
    own = item.worked_on(user)
    return {
        "may_review": in_review and can_review and not own,
        # Told to whoever worked on it, reviewer or not: someone else has to approve it.
        "own_work": in_review and own,
        "contributors": review_contributors(item=item),
    }


def review_contributors(*, item: ReviewedContent) -> list[str]:
    """The names of those who worked on it, in the order they did."""
    if not item.author_ids:
        return []
    users = get_user_model()._default_manager.in_bulk(item.author_ids)
    return [str(users[pk]) for pk in item.author_ids if pk in users]


# The steps themselves. Each kind of content calls them with what differs: its name in the
# history, what the history keeps of it, its "wrong state" message and, for the text and the
# publication, its own fields. The states, the lock, the author list and the events are the same
# for every kind, so a kind cannot drift from the others by copying a step and changing it.


@dataclass(frozen=True)
class ReviewSteps(Generic[Item]):
    """What one kind of reviewed content says in its history and its refusals."""

    # The history's name for the kind: "announcement" writes "announcement.submit".
    action: str
    # What the history keeps of it when it is written or edited.
    snapshot: Callable[[Item], dict[str, Any]]
    # "This cannot be done to ... that is %(state)s.", in the kind's words.
    wrong_state: Promise
    # What the history keeps of it around a step (submit, return, approve); the snapshot when
    # not given.
    step_snapshot: Callable[[Item], dict[str, Any]] | None = None

    def around_step(self, item: Item) -> dict[str, Any]:
        return (self.step_snapshot or self.snapshot)(item)

    def require_state(self, item: Item, *states: str) -> None:
        state = item.state  # type: ignore[attr-defined]
        if state not in states:
            raise ValidationError(
                str(self.wrong_state) % {"state": item.get_state_display()},  # type: ignore[attr-defined]
                code="wrong_state",
            )


Check = Callable[[Any], dict[str, list[str]]]


def _take_step(
    steps: ReviewSteps[Item],
    *,
    actor: User,
    item: Item,
    step: str,
    change: Callable[[Any, datetime], None],
    snapshot: Callable[[Item], dict[str, Any]] | None = None,
    after: Callable[[Item], dict[str, Any]] | None = None,
    reason: str = "",
) -> Item:
    """Change the (locked) item, save it and write the step into its history: what `snapshot`
    (the kind's step snapshot when not given) keeps of it before, and `after` (the same) after."""
    snapshot = snapshot or steps.around_step
    was = snapshot(item)
    now = clock.now()
    change(item, now)
    item.updated_at = now  # type: ignore[attr-defined]
    item.save()
    event_record(
        actor=actor,
        subject=item,
        action=f"{steps.action}.{step}",
        before=was,
        after=(after or snapshot)(item),
        reason=reason,
    )
    return item


def _locked(
    steps: ReviewSteps[Item], item: Item, state: str, *, reviewer: User | None = None
) -> Item:
    item = review_lock(item)
    steps.require_state(item, state)
    if reviewer is not None:
        review_require_reviewer(item=item, actor=reviewer)
    return item


def _refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def reviewed_create(*, steps: ReviewSteps[Item], actor: User, item: Item) -> Item:
    """Save a new draft (its text already checked and set) with the actor as its first author."""
    now = clock.now()
    item.created_by = actor  # type: ignore[attr-defined]
    item.author_ids = [actor.pk]
    item.created_at = item.updated_at = now  # type: ignore[attr-defined]
    item.save(force_insert=True)
    event_record(
        actor=actor, subject=item, action=f"{steps.action}.create", after=steps.snapshot(item)
    )
    return item


@transaction.atomic
def reviewed_update(
    *,
    steps: ReviewSteps[Item],
    actor: User,
    item: Item,
    check: Check,
    apply: Callable[[Item], None],
) -> Item:
    """Only a draft is edited: an approved text never changes without a new review. `check` lists
    the problems of the new text (on the locked item), `apply` writes it onto the item."""
    item = _locked(steps, item, DRAFT)
    _refuse(check(item))

    def change(item: Any, now: datetime) -> None:
        apply(item)
        review_work_record(item=item, actor=actor)

    return _take_step(
        steps, actor=actor, item=item, step="update", change=change, snapshot=steps.snapshot
    )


@transaction.atomic
def reviewed_submit(
    *, steps: ReviewSteps[Item], actor: User, item: Item, check: Check | None = None
) -> Item:
    """A draft goes to review; whoever submits it is one of its authors. `check` lists what is
    wrong with the stored text, if anything can go stale."""
    item = _locked(steps, item, DRAFT)
    if check is not None:
        _refuse(check(item))

    def change(item: Any, now: datetime) -> None:
        review_work_record(item=item, actor=actor)
        item.state, item.return_reason = IN_REVIEW, ""

    return _take_step(steps, actor=actor, item=item, step="submit", change=change)


@transaction.atomic
def reviewed_return(*, steps: ReviewSteps[Item], actor: User, item: Item, reason: str) -> Item:
    """The reviewer sends it back to its authors with what to change (`reason`, checked and
    stripped by the caller, in the kind's words)."""
    item = _locked(steps, item, IN_REVIEW, reviewer=actor)

    def change(item: Any, now: datetime) -> None:
        item.state, item.return_reason = DRAFT, reason

    return _take_step(steps, actor=actor, item=item, step="return", change=change, reason=reason)


@transaction.atomic
def reviewed_approve(
    *,
    steps: ReviewSteps[Item],
    actor: User,
    item: Item,
    publish: Callable[[Item, datetime], None],
    after: Callable[[Item], dict[str, Any]] | None = None,
    note: str = "",
) -> Item:
    """Another editor approves it. `publish(item, now)` sets what approval means for the kind
    (published now, scheduled, numbered) or raises ValidationError; the history keeps `after`
    of it (the step snapshot when not given). The public pages are told they changed."""
    item = _locked(steps, item, IN_REVIEW, reviewer=actor)

    def change(item: Any, now: datetime) -> None:
        publish(item, now)
        item.reviewed_by = actor

    _take_step(
        steps, actor=actor, item=item, step="approve", change=change, after=after, reason=note
    )
    public_pages_changed()
    return item
