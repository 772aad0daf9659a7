from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from huhang.registry import models as m
from huhang.registry.resources import RESOURCES

admin.site.site_header = "护航 Huhang"
admin.site.register([m.District, m.Industry])

for _resource in RESOURCES.values():
    admin.site.register(
        _resource.model,
        type(
            f"{_resource.model.__name__}Admin",
            (SimpleHistoryAdmin,),
            {
                "list_display": [c for c in _resource.columns if c != "identifier"] or ["__str__"],
                "list_filter": _resource.filters,
                "search_fields": _resource.search,
                "raw_id_fields": [
                    f.name for f in _resource.model._meta.get_fields()
                    if f.is_relation and f.related_model is m.Entity and (f.many_to_many or f.many_to_one)
                ],
                "list_select_related": _resource.select_related or False,
                "show_full_result_count": False,
            },
        ),
    )
