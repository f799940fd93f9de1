SEED_CLIENT = {
    "name_zh": "中食互联（北京）科技有限公司",
    "name_en": "Zhongshi Hulian (Beijing) Technology Co., Ltd.",
}


def seed(stdout):
    from .models import Client

    client, created = Client.objects.update_or_create(
        name_zh=SEED_CLIENT["name_zh"], defaults={"name_en": SEED_CLIENT["name_en"]}
    )
    stdout.write(f"  {'created' if created else 'updated'} client {client}")
