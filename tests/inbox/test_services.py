"""Triage writes: each change is one transaction and one audit event; replies and notices mail."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.accounts import services as account_services
from portal.extensions import db
from portal.inbox import queries, replies, rules, saved_views, services
from portal.inbox.services import InvalidChange
from portal.inbox.timeline import EnquiryNotFound
from portal.intake.models import Enquiry, EnquiryEvent
from portal.intake.routing import RoutingRule, arrival_assignee
from portal.outbox.models import OutboxMessage
from tests.factories import make_enquiry, make_staff


def events(enquiry_id: int, kind: str | None = None) -> list[EnquiryEvent]:
    stmt = select(EnquiryEvent).where(EnquiryEvent.enquiry_id == enquiry_id)
    if kind:
        stmt = stmt.where(EnquiryEvent.kind == kind)
    return list(db.session.scalars(stmt.order_by(EnquiryEvent.id)))


def mail() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_status_change_is_recorded_with_who_before_and_after(app):
    actor, enquiry = make_staff(), make_enquiry()
    before = enquiry.updated_at
    services.set_status(enquiry.id, "triaged", actor.id)
    db.session.expire_all()
    [event] = events(enquiry.id, "status")
    assert (event.actor_id, event.before, event.after) == (actor.id, "new", "triaged")
    assert event.created_at is not None
    assert db.session.get(Enquiry, enquiry.id).updated_at > before


def test_setting_the_same_status_records_nothing(app):
    actor, enquiry = make_staff(), make_enquiry(status="triaged")
    services.set_status(enquiry.id, "triaged", actor.id)
    assert events(enquiry.id) == []


def test_unknown_values_and_ids_are_refused(app):
    actor, enquiry = make_staff(), make_enquiry()
    with pytest.raises(InvalidChange):
        services.set_status(enquiry.id, "deleted", actor.id)
    with pytest.raises(InvalidChange):
        services.set_priority(enquiry.id, "urgent", actor.id)
    with pytest.raises(EnquiryNotFound):
        services.set_status(999_999, "new", actor.id)
    assert events(enquiry.id) == []


def test_assigning_a_colleague_records_names_and_tells_them(app):
    actor = make_staff(name="Ada Admin")
    colleague = make_staff(name="Nils Nynorsk", lang="nn")
    enquiry = make_enquiry()
    services.assign(enquiry.id, colleague.id, actor.id)
    [event] = events(enquiry.id, "assignee")
    assert (event.before, event.after, event.actor_id) == (None, "Nils Nynorsk", actor.id)
    [notice] = mail()
    assert notice.recipient == colleague.email and notice.lang == "nn"
    assert notice.kind == "assigned" and notice.enquiry_id == enquiry.id
    assert enquiry.reference in notice.subject and "gitt til deg" in notice.subject
    assert "Ada Admin har gitt deg denne førespurnaden" in notice.body_text
    assert f"/inbox/enquiries/{enquiry.id}" in notice.body_text


def test_taking_an_enquiry_yourself_sends_no_notice_and_unassigning_is_recorded(app):
    actor, enquiry = make_staff(name="Kari"), make_enquiry()
    services.assign(enquiry.id, actor.id, actor.id)
    services.assign(enquiry.id, None, actor.id)
    assert mail() == []
    assert [(e.before, e.after) for e in events(enquiry.id, "assignee")] == [
        (None, "Kari"),
        ("Kari", None),
    ]


def test_an_inactive_colleague_cannot_be_assigned(app):
    actor, gone, enquiry = make_staff(), make_staff(active=False), make_enquiry()
    with pytest.raises(InvalidChange):
        services.assign(enquiry.id, gone.id, actor.id)
    assert db.session.get(Enquiry, enquiry.id).assignee_id is None


def test_priority_and_follow_up_changes_are_recorded(app):
    actor, enquiry = make_staff(), make_enquiry()
    services.set_priority(enquiry.id, "high", actor.id)
    services.set_follow_up(enquiry.id, date(2026, 6, 1), actor.id)
    services.set_follow_up(enquiry.id, None, actor.id)
    assert [(e.kind, e.before, e.after) for e in events(enquiry.id)] == [
        ("priority", "normal", "high"),
        ("follow_up", None, "2026-06-01"),
        ("follow_up", "2026-06-01", None),
    ]


def test_tags_are_normalised_and_each_change_is_an_event(app):
    actor, enquiry = make_staff(), make_enquiry()
    assert services.set_tags(enquiry.id, ["  Kurs   høst ", "ungdom", "ungdom"], actor.id) == [
        "kurs høst",
        "ungdom",
    ]
    services.set_tags(enquiry.id, ["ungdom", "eldre"], actor.id)
    assert services.tags_of(enquiry.id) == ["eldre", "ungdom"]
    kinds = [(e.kind, e.before or e.after) for e in events(enquiry.id)]
    assert kinds == [
        ("tag_added", "kurs høst"),
        ("tag_added", "ungdom"),
        ("tag_removed", "kurs høst"),
        ("tag_added", "eldre"),
    ]


@pytest.mark.parametrize("bad", ["", "a" * 41, "<b>", "x,y", "-start", "semi;colon"])
def test_bad_tags_are_refused(app, bad):
    actor, enquiry = make_staff(), make_enquiry()
    with pytest.raises(InvalidChange):
        services.set_tags(enquiry.id, [bad], actor.id)
    assert services.tags_of(enquiry.id) == []


def test_at_most_twelve_tags(app):
    actor, enquiry = make_staff(), make_enquiry()
    with pytest.raises(InvalidChange):
        services.set_tags(enquiry.id, [f"tag {n}" for n in range(13)], actor.id)


def test_a_note_is_an_event_with_its_text(app):
    actor, enquiry = make_staff(), make_enquiry()
    services.add_note(enquiry.id, "  Ringte henne, hun svarer neste uke.\n ", actor.id)
    [note] = events(enquiry.id, "note")
    assert note.body == "Ringte henne, hun svarer neste uke."
    with pytest.raises(InvalidChange):
        services.add_note(enquiry.id, "   ", actor.id)


# --------------------------------------------------------------------------- replies


@pytest.mark.parametrize(
    ("lang", "subject_words", "greeting"),
    [
        ("nb", "Svar på henvendelsen din", "Hei Kari Nordmann,"),
        ("nn", "Svar på førespurnaden din", "Hei Kari Nordmann,"),
        ("en", "Reply to your enquiry", "Dear Kari Nordmann,"),
    ],
)
def test_a_reply_goes_to_the_enquirer_in_their_language(app, lang, subject_words, greeting):
    actor = make_staff(name="Sara Saksbehandler", email="sara@usn.example")
    enquiry = make_enquiry(lang=lang, email="kari@example.org")
    message = replies.reply(enquiry.id, "Takk for henvendelsen.\n\nVi ringer deg.", actor.id)
    assert message.recipient == "kari@example.org"
    assert message.reply_to is None  # never the staff address; none without INBOUND_ADDRESS
    assert message.subject == f"{subject_words} {enquiry.reference}"
    assert message.lang == lang and message.kind == "reply" and message.enquiry_id == enquiry.id
    assert greeting in message.body_text and "Vi ringer deg." in message.body_text
    assert "Sara Saksbehandler" in message.body_text
    assert "<p>Vi ringer deg.</p>" in message.body_html


def test_a_reply_moves_new_to_in_dialogue_and_stops_the_first_response_clock(app):
    actor, enquiry = make_staff(), make_enquiry(status="new")
    message = replies.reply(enquiry.id, "Hei!", actor.id)
    db.session.expire_all()
    enquiry = db.session.get(Enquiry, enquiry.id)
    assert enquiry.status == "in_dialogue"
    first = enquiry.first_responded_at
    assert first is not None
    [reply] = events(enquiry.id, "reply")
    assert (reply.body, reply.after, reply.actor_id) == ("Hei!", str(message.id), actor.id)
    assert [(e.before, e.after) for e in events(enquiry.id, "status")] == [("new", "in_dialogue")]
    replies.reply(enquiry.id, "Ett svar til.", actor.id)
    db.session.expire_all()
    assert db.session.get(Enquiry, enquiry.id).first_responded_at == first


@pytest.mark.parametrize(("before", "after"), [("triaged", "in_dialogue"), ("agreed", "agreed")])
def test_a_reply_moves_only_new_or_triaged(app, before, after):
    actor, enquiry = make_staff(), make_enquiry(status=before)
    replies.reply(enquiry.id, "Hei igjen.", actor.id)
    assert db.session.get(Enquiry, enquiry.id).status == after


def test_no_reply_to_spam_or_without_text(app):
    actor, spam = make_staff(), make_enquiry(status="spam")
    with pytest.raises(InvalidChange):
        replies.reply(spam.id, "Hei", actor.id)
    with pytest.raises(InvalidChange):
        replies.reply(make_enquiry().id, "  \n ", actor.id)
    assert mail() == []


def test_a_template_fills_its_placeholders_once():
    filled = replies.fill_template(
        "Hei {name}! Sak {reference}. Hilsen {staff_name} {unknown}",
        name="{reference}",
        reference="SESAM-2026-0001",
        staff_name="Sara",
    )
    assert filled == "Hei {reference}! Sak SESAM-2026-0001. Hilsen Sara {unknown}"


def test_reply_templates_are_created_changed_and_deleted(app):
    template = replies.save_template(None, " Takk ", "nn", " Takk for førespurnaden. ")
    assert (template.name, template.lang, template.body) == (
        "Takk",
        "nn",
        "Takk for førespurnaden.",
    )
    replies.save_template(template.id, "Takk", "nn", "Ny tekst.")
    assert replies.get_template(template.id).body == "Ny tekst."
    assert [t.name for t in replies.templates("nn")] == ["Takk"]
    assert replies.templates("nb") == []
    with pytest.raises(InvalidChange):
        replies.save_template(None, "Takk", "nn", "Same name, same language.")
    replies.save_template(None, "Takk", "nb", "Samme navn, annet språk.")
    replies.delete_template(template.id)
    assert replies.get_template(template.id) is None
    with pytest.raises(LookupError):
        replies.delete_template(template.id)
    with pytest.raises(InvalidChange):
        replies.save_template(None, "X", "de", "Hallo")


# --------------------------------------------------------------------------- bulk actions


def test_bulk_assign_records_each_and_sends_one_notice(app):
    actor, colleague = make_staff(name="Ada"), make_staff(name="Bo", lang="en")
    first, second, already = make_enquiry(), make_enquiry(), make_enquiry(assignee_id=colleague.id)
    result = services.bulk_update(
        [first.id, second.id, already.id], "assign", str(colleague.id), actor.id
    )
    assert (result.changed, result.refused) == (2, [])
    assert len(events(first.id, "assignee")) == len(events(second.id, "assignee")) == 1
    assert events(already.id) == []
    [notice] = mail()
    assert notice.recipient == colleague.email
    assert notice.subject == "2 enquiries are now yours"
    assert first.reference in notice.body_text and second.reference in notice.body_text


def test_bulk_status_tag_and_spam(app):
    actor = make_staff()
    a, b = make_enquiry(), make_enquiry(status="closed")
    assert services.bulk_update([a.id, b.id], "status", "closed", actor.id, "no_reply").changed == 1
    assert (db.session.get(Enquiry, a.id).outcome, db.session.get(Enquiry, b.id).outcome) == (
        "no_reply",
        None,
    )
    services.set_tags(a.id, ["ungdom"], actor.id)
    assert services.bulk_update([a.id, b.id], "tag", "Ungdom", actor.id).changed == 1
    assert services.tags_of(b.id) == ["ungdom"]
    assert services.bulk_update([a.id, b.id], "spam", None, actor.id).changed == 2
    assert {db.session.get(Enquiry, i).status for i in (a.id, b.id)} == {"spam"}


@pytest.mark.parametrize(
    ("ids", "action", "value"),
    [
        ([1], "delete", None),
        ([], "spam", None),
        (list(range(1, 300)), "spam", None),
        ([1], "status", "gone"),
        ([1], "status", "declined"),  # without saying what came of it
        ([1], "assign", "abc"),
        ([1], "assign", "999999"),
        ([1], "tag", "<script>"),
    ],
)
def test_bad_bulk_actions_change_nothing(app, ids, action, value):
    actor = make_staff()
    enquiry = make_enquiry()
    ids = [enquiry.id if i == 1 else i for i in ids]
    with pytest.raises(InvalidChange):
        services.bulk_update(ids, action, value, actor.id)
    assert events(enquiry.id) == []


def test_a_change_through_the_inbox_clears_the_cached_counts(app):
    actor, enquiry = make_staff(), make_enquiry()
    assert queries.status_counts()["new"] == 1
    services.set_status(enquiry.id, "triaged", actor.id)
    counts = queries.status_counts()
    assert (counts["new"], counts["triaged"]) == (0, 1)


# --------------------------------------------------------------------------- routing rules


def test_routing_rules_are_saved_and_removed(app):
    kari, ola = make_staff(), make_staff()
    table = rules.save_routing({"talk": kari.id, "media": ola.id})
    assert table["talk"] == kari.id and table["media"] == ola.id and table["other"] is None
    table = rules.save_routing({"talk": None, "media": kari.id})
    assert table["talk"] is None and table["media"] == kari.id
    assert len(list(db.session.scalars(select(RoutingRule)))) == 1


def test_routing_refuses_unknown_types_and_inactive_staff(app):
    gone = make_staff(active=False)
    with pytest.raises(InvalidChange):
        rules.save_routing({"gossip": None})
    with pytest.raises(InvalidChange):
        rules.save_routing({"talk": gone.id})


def test_the_rules_name_the_assignee_of_an_arriving_enquiry(app):
    kari = make_staff(name="Kari Ruting", lang="nn")
    rules.save_routing({"talk": kari.id})
    assignee = arrival_assignee(make_enquiry(enquiry_type="talk"))
    assert assignee == (kari.id, "Kari Ruting", kari.email, "nn")


def test_saved_rules_reach_the_next_arrival_at_once(app):
    kari, ola = make_staff(), make_staff()
    rules.save_routing({"talk": kari.id})
    assert arrival_assignee(make_enquiry(enquiry_type="talk")).id == kari.id
    rules.save_routing({"talk": ola.id})
    assert arrival_assignee(make_enquiry(enquiry_type="talk")).id == ola.id
    rules.save_routing({"talk": None})
    assert arrival_assignee(make_enquiry(enquiry_type="talk")) is None


@pytest.mark.parametrize("case", ["no rule", "spam", "assigned", "inactive"])
def test_routing_leaves_some_enquiries_alone(app, case):
    kari, other = make_staff(), make_staff()
    rules.save_routing({"talk": kari.id} if case != "no rule" else {})
    enquiry = make_enquiry(
        enquiry_type="talk",
        status="spam" if case == "spam" else "new",
        assignee_id=other.id if case == "assigned" else None,
    )
    if case == "inactive":
        account_services.deactivate(kari.id, actor_id=other.id)
    assert arrival_assignee(enquiry) is None


def test_submit_enquiry_applies_the_routing_rules(app):
    from portal.intake.services import submit_enquiry

    kari = make_staff()
    rules.save_routing({"course_workshop": kari.id})
    enquiry = submit_enquiry(
        lang="nb",
        source="site",
        nonce="routing-test-nonce",
        name="Per",
        email="per@example.org",
        organisation_type="private",
        enquiry_type="course_workshop",
        problem="Vi ønsker et kurs i samskaping for de ansatte.",
    )
    assert enquiry.assignee_id == kari.id
    assert [(e.kind, e.actor_id, e.after) for e in events(enquiry.id)] == [
        ("received", None, None),
        ("routed", None, kari.name),
    ]
    [notice] = [message for message in mail() if message.kind == "assigned"]
    assert (notice.recipient, notice.lang, notice.status) == (kari.email, kari.lang, "pending")
    assert enquiry.reference in notice.subject
    assert "Rutingsreglene har gitt deg" in notice.body_text


# --------------------------------------------------------------------------- saved views


def test_saved_views_keep_only_list_parameters_and_belong_to_their_owner(app):
    me, other = make_staff(), make_staff()
    view = saved_views.save_view(
        me.id, " Mine  nye ", "status=new&csrf_token=x&after=1-2-3&q=bolig"
    )
    assert (view.name, view.query) == ("Mine nye", "status=new&q=bolig")
    again = saved_views.save_view(me.id, "Mine nye", "status=triaged")
    assert again.id == view.id and again.query == "status=triaged"
    with pytest.raises(LookupError):
        saved_views.delete_view(other.id, view.id)
    saved_views.delete_view(me.id, view.id)
    assert saved_views.views_of(me.id) == []
    with pytest.raises(InvalidChange):
        saved_views.save_view(me.id, "  ", "")
