app_name = "audits"

urlpatterns = []
