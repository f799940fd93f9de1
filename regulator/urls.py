app_name = "regulator"

urlpatterns: list = []
