"""Form fields shared by the filter forms."""

from django import forms


def _last(value):
    """The last of a list of values, or the value itself."""
    if isinstance(value, (list, tuple)):
        return value[-1] if value else None
    return value


class LastValueMixin:
    """A single-value filter-form field that also takes the list of values the list view passes for each filter."""

    def to_python(self, value):
        """The last value given, converted as usual."""
        return super().to_python(_last(value))

    def prepare_value(self, value):
        """The last value given, shown as usual."""
        return super().prepare_value(_last(value))


class FilterDateField(LastValueMixin, forms.DateField):
    """A date in a filter form."""


class FilterDateTimeField(LastValueMixin, forms.DateTimeField):
    """A date and time in a filter form."""
