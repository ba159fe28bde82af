from ninja import NinjaAPI

api = NinjaAPI(title="VMO API", version="1")
