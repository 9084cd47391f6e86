"""Following a problem: anyone who can see it may ask to be told of its news (stage moves,
handovers, decisions, updates, shares, actions assigned), in the app and, if they choose, in a
daily digest email. Following grants nothing: what a follower is told is filtered by what they
can see at that moment (problems.services.notifications)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ProblemFollower(models.Model):
    problem = models.ForeignKey("problems.Problem", on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_problems")
    # Also a daily email listing the unread news of this problem (problems.services.notifications).
    digest = models.BooleanField("email me a daily digest", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["problem", "user"], name="problem_follower_once")]
        indexes = [
            # The digest sweep's scan: the follows that want the email.
            models.Index(fields=["user"], condition=models.Q(digest=True), name="problem_follower_digest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.problem_id}"
