// Reads an iCalendar file with ical.js (Thunderbird's parser) and prints what a client sees, as JSON:
// the calendar's properties, every event, and every occurrence from FIRST to LAST (both years included).
// Usage: node read.mjs FILE FIRST LAST
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [file, first, last] = process.argv.slice(2);
const root = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
const text = (component, name) => {
  const prop = component.getFirstProperty(name);
  return prop === null ? null : String(prop.getFirstValue());
};
const events = [];
const occurrences = [];
const end = ICAL.Time.fromDateString(`${Number(last) + 1}-01-01`);
const start = ICAL.Time.fromDateString(`${first}-01-01`);
for (const vevent of root.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(vevent);
  const rrule = vevent.getFirstProperty("rrule");
  events.push({
    uid: event.uid,
    summary: event.summary,
    description: event.description,
    start: event.startDate.toString(),
    isDate: event.startDate.isDate,
    end: event.endDate.toString(),
    rrule: rrule === null ? null : rrule.getFirstValue().toString(),
    categories: vevent.getAllProperties("categories").flatMap((p) => p.getValues().map(String)),
    language: vevent.getFirstProperty("summary").getParameter("language"),
    alarms: vevent.getAllSubcomponents("valarm").map((alarm) => ({
      action: text(alarm, "action"),
      trigger: alarm.getFirstPropertyValue("trigger").toString(),
      description: text(alarm, "description"),
    })),
  });
  const iterator = event.iterator();
  for (let next = iterator.next(); next && next.compare(end) < 0; next = iterator.next()) {
    if (next.compare(start) >= 0) occurrences.push([next.toString(), event.uid]);
  }
}
const props = Object.fromEntries(
  ["version", "prodid", "uid", "name", "x-wr-calname", "x-wr-caldesc", "description", "method"].map(
    (name) => [name, text(root, name)],
  ),
);
process.stdout.write(JSON.stringify({ props, events, occurrences }));
