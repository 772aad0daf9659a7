from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Activate the language the user chose (cookie), else zh-hans, whatever the browser asks for.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an English-language browser
    would get English pages; this platform's pages are Chinese unless the user switches.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # Restore the thread's language afterwards: a worker thread serves the next request (or test) clean.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
