from django.contrib import admin

from pakn.language.models import Correction, DuplicateFlag, RouterModel, Suggestion


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ("case", "kind", "topic_code", "unit_code", "confidence", "source", "status", "created_at")
    list_filter = ("source", "status", "topic_code")
    raw_id_fields = ("case",)


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ("case", "field", "suggested", "chosen", "actor", "created_at")
    list_filter = ("field",)
    raw_id_fields = ("case", "suggestion")


@admin.register(RouterModel)
class RouterModelAdmin(admin.ModelAdmin):
    list_display = ("target", "version", "n_docs", "data_source", "active", "created_at")
    list_filter = ("target", "active")
    exclude = ("blob",)
    readonly_fields = ("target", "version", "labels", "n_docs", "data_source", "created_at")


@admin.register(DuplicateFlag)
class DuplicateFlagAdmin(admin.ModelAdmin):
    list_display = ("case", "candidate", "score", "origin", "state", "created_at")
    list_filter = ("origin", "state")
    raw_id_fields = ("case", "candidate", "decided_by")
