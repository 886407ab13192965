from django.db import models


class Row(models.Model):
    """As big as a submission's own case row: a title, a text and a date."""

    title = models.CharField(max_length=300)
    content = models.TextField()
    received_on = models.DateField()

    def __str__(self) -> str:
        return self.title
