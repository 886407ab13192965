import json

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from intake_ceiling.models import Row


@csrf_exempt
@require_POST
def ceiling(request: HttpRequest) -> JsonResponse:
    """The least a write path can do: read the JSON body, insert one row, commit, answer 201."""
    data = json.loads(request.body)
    with transaction.atomic():
        row = Row.objects.create(
            title=str(data["title"])[:300], content=str(data["content"]), received_on=timezone.localdate()
        )
    return JsonResponse({"id": row.pk}, status=201)
