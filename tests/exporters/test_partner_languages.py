"""Calendars and cards in the partner cities' languages, read back by independent parsers."""

from __future__ import annotations

import icalendar
import pytest
import vobject

import leiden_twinning as lt
from leiden_twinning._i18n import CATALOG_LANGUAGES

PARTNER_LANGUAGES = sorted(set(CATALOG_LANGUAGES) - {"nl", "en"})


@pytest.fixture(scope="module")
def dataset() -> lt.Dataset:
    return lt.load()


@pytest.mark.parametrize("locale", PARTNER_LANGUAGES)
class TestPartnerLanguages:
    """de, pl, es and ja calendars and cards parse, and speak their language."""

    def test_calendar_parses_with_translated_titles(self, dataset: lt.Dataset, locale: str) -> None:
        """icalendar reads the calendar; its name and jubilee titles come from the catalog.

        Activity titles are data texts, which exist in Dutch and English only, so they may stay
        English; the jubilee titles are labels and must not.
        """
        english = icalendar.Calendar.from_ical(lt.export(dataset, "ical", locale="en"))
        calendar = icalendar.Calendar.from_ical(lt.export(dataset, "ical", locale=locale))
        events = calendar.walk("VEVENT")
        assert len(english.walk("VEVENT")) == len(events)
        assert str(english["X-WR-CALNAME"]) != str(calendar["X-WR-CALNAME"])
        english_titles = {
            str(e["SUMMARY"]) for e in english.walk("VEVENT") if " years of " in str(e["SUMMARY"])
        }
        assert english_titles
        assert not english_titles & {str(e["SUMMARY"]) for e in events}

    def test_calendar_with_reminders_parses(self, dataset: lt.Dataset, locale: str) -> None:
        """Every alarm has a localized description and a trigger before its event."""
        data = lt.export(dataset, "ical", locale=locale, remind="90d")
        alarms = icalendar.Calendar.from_ical(data).walk("VALARM")
        assert alarms
        for alarm in alarms:
            assert "DISPLAY" == str(alarm["ACTION"])
            assert alarm.decoded("TRIGGER").days < 0

    def test_cards_parse(self, dataset: lt.Dataset, locale: str) -> None:
        """vobject reads every card, each with a name."""
        english = list(vobject.readComponents(lt.export(dataset, "vcard", locale="en").decode()))
        cards = list(vobject.readComponents(lt.export(dataset, "vcard", locale=locale).decode()))
        assert len(english) == len(cards)
        assert all(card.fn.value for card in cards)
