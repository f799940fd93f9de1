from django.contrib import admin

from .models import Client


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ("name_zh", "name_en")
    search_fields = ("name_zh", "name_en")
