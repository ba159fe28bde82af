"""One reviewed-content mechanism: draft -> second editor reviews -> published.

Announcements, regulation summaries, courses and regional warnings all keep, on the item, the
people named in its history as writer, editor or submitter (`author_ids`), and all refuse the
same way: nobody in that list may approve (publish) it or return it. Each kind keeps its own
states and fields; what they share is here, so the rule is written once.

The services of each kind call `review_work_record` in every write that shapes the text (create,
edit, add a part, submit) and `review_require_reviewer` before approving or returning. Officer
pages read `review_context` and include `includes/review_status.html`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy

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
