from django.forms.renderers import TemplatesSetting


class PaknFormRenderer(TemplatesSetting):
    """Every field is rendered by templates/forms/field.html: a wrapper that marks required fields
    and errors, labels without a trailing colon."""

    field_template_name = "forms/field.html"
