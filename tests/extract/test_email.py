"""E-mail extraction: .eml with the stdlib parser, Outlook .msg with extract-msg, hostile messages."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from scanner.errors import ScanError
from scanner.extract import Limits
from scanner.extract.archive import extract_zip
from scanner.extract.email import extract_eml, extract_msg
from scanner.extract.errors import MalformedEmail

from tests.conftest import BAD, LETTERS, real


def letter() -> bytes:
    """A debt-collection reply: encoded names, plain + HTML body, attachments with awkward names."""
    msg = EmailMessage()
    msg["From"] = "René Dupont <rene.dupont@example.be>"
    msg["To"] = "Invordering <invordering@example.be>"
    msg["Cc"] = "Anne Peeters <anne@example.be>, b@example.be"
    msg["Subject"] = "Réclamation facture 2024-117"
    msg["Date"] = "Mon, 03 Nov 2025 18:23:00 +0100"
    msg["Received"] = "from mx.example.be (10.1.2.3)"
    msg.set_content("Bonjour,\nMon numéro de registre national est 85.07.30-033.61.\nRené\n")
    msg.add_alternative("<html><body><p>Bonjour,</p><script>var x='hidden';</script>"
                        "<p>Mon num&eacute;ro est 85.07.30-033.61.</p></body></html>", subtype="html")
    msg.add_attachment(b"%PDF-1.4 fake", maintype="application", subtype="pdf", filename="factuur été.pdf")
    msg.add_attachment(b"evil", maintype="application", subtype="octet-stream", filename="..\\..\\windows\\evil.bat")
    msg.add_attachment(b"same name 1", maintype="text", subtype="plain", filename="note.txt")
    msg.add_attachment(b"same name 2", maintype="text", subtype="plain", filename="note.txt")
    inner = EmailMessage()
    inner["From"] = "Greffe <greffe@example.be>"
    inner["Subject"] = "Jugement"
    inner.set_content("Le jugement concernant M. Dupont est joint.")
    msg.add_attachment(inner)
    return msg.as_bytes()


def test_headers_are_decoded_one_per_line():
    page = extract_eml(letter(), "m.eml", Limits()).pages[0]
    lines = page.text.splitlines()
    assert "From: René Dupont <rene.dupont@example.be>" in lines
    assert "Cc: Anne Peeters <anne@example.be>, b@example.be" in lines
    assert "Subject: Réclamation facture 2024-117" in lines
    assert not any(line.startswith("Received") for line in lines)  # transport headers are not personal fields
    assert page.label == "message" and page.number is None


def test_rfc2047_words_are_decoded_on_the_wire():
    raw = (b"From: =?iso-8859-1?Q?Ren=E9_Dupont?= <r@example.be>\n"
           b"Subject: =?utf-8?B?UsOpY2xhbWF0aW9u?=\n\nx")
    text = extract_eml(raw, "m.eml", Limits()).pages[0].text
    assert "From: René Dupont <r@example.be>" in text and "Subject: Réclamation" in text


def test_plain_body_is_preferred_and_html_only_mail_gives_visible_text():
    extracted = extract_eml(letter(), "m.eml", Limits())
    assert "85.07.30-033.61" in extracted.pages[0].text
    assert "<p>" not in extracted.pages[0].text
    html_only = EmailMessage()
    html_only["From"] = "a@example.be"
    html_only.set_content("<p>Cher Monsieur <b>Dupont</b></p><script>secret()</script>", subtype="html")
    text = extract_eml(html_only.as_bytes(), "h.eml", Limits()).pages[0].text
    assert "Cher Monsieur Dupont" in text and "secret" not in text


def test_fields_point_at_their_spans():
    extracted = extract_eml(letter(), "m.eml", Limits())
    text = extracted.pages[0].text
    fields = {f["name"] if f["kind"] == "header" else f["kind"]: f for f in extracted.extra["fields"]}
    assert text[fields["From"]["start"]:fields["From"]["end"]] == "René Dupont <rene.dupont@example.be>"
    body = fields["body"]
    assert text[body["start"]:body["end"]].startswith("Bonjour,\nMon numéro")


def test_attachments_are_members_with_safe_unique_names():
    extracted = extract_eml(letter(), "m.eml", Limits())
    members = {m.name: m.data for m in extracted.members}
    assert members["factuur été.pdf"] == b"%PDF-1.4 fake"  # RFC 2231 name decoded
    assert members["evil.bat"] == b"evil"  # no path left in the name
    assert members["note.txt"] == b"same name 1" and members["note (2).txt"] == b"same name 2"
    attached = [name for name in members if name.endswith(".eml")]
    assert len(attached) == 1
    inner = extract_eml(members[attached[0]], attached[0], Limits()).pages[0].text
    assert "Subject: Jugement" in inner and "M. Dupont" in inner
    assert "Attachment: factuur été.pdf" in extracted.pages[0].text  # names are scanned too


def test_limits_turn_extra_attachments_into_error_entries():
    extracted = extract_eml(letter(), "m.eml", Limits(max_members=2))
    assert len(extracted.members) == 2
    assert [code for _, code, _ in extracted.extra["errors"]] == ["container_limit"]
    small = extract_eml(letter(), "m.eml", Limits(max_bytes=12))
    too_big = {name for name, code, _ in small.extra["errors"] if code == "file_too_large"}
    assert "factuur été.pdf" in too_big and "factuur été.pdf" not in {m.name for m in small.members}


@pytest.mark.parametrize("data", [b"", b"\x00\x01\x02binary junk without headers", b"\n\nbody only"])
def test_garbage_is_malformed_email(data):
    with pytest.raises(MalformedEmail) as caught:
        extract_eml(data, "x.eml", Limits())
    assert caught.value.code == "malformed_email"


def test_absurd_nesting_is_malformed_email_not_a_crash():
    boundary_parts = []
    for depth in range(200):
        boundary_parts.append(f'Content-Type: multipart/mixed; boundary="b{depth}"\n\n--b{depth}\n')
    raw = ("From: a@example.be\n" + "".join(boundary_parts) + "Content-Type: text/plain\n\nhi\n").encode()
    with pytest.raises(MalformedEmail):
        extract_eml(raw, "deep.eml", Limits())


def test_missing_boundary_still_gives_the_text():
    raw = (b"From: a@example.be\nContent-Type: multipart/alternative; boundary=\"nope\"\n\n"
           b"--other\nContent-Type: text/plain\n\nJan Peeters, rue Haute 5\n--other--\n")
    assert "Jan Peeters" in extract_eml(raw, "x.eml", Limits()).pages[0].text


def test_garbage_msg_is_malformed_email():
    with pytest.raises(MalformedEmail):
        extract_msg(b"not an OLE file at all", "x.msg", Limits())


# --- the shared real files ----------------------------------------------------------------------

EML_EXPECTED = {
    "mailparser_encoded_display_names.eml": ["From: LastßlName, FirstName <comma.name@example.com>",
                                              'John "Johnny" Doe <john.doe@example.com>'],
    "mailparser_fr_newsletter.eml": ["Subject: Je prépare mon été zéro complexe !", "rollierjocelyne@fake.com"],
    "mailparser_it_ibm_with_pdf.eml": ["From: Nicoletta Bernasconi <nicoletta_bernasconi@it.ibm.com>",
                                       "Attachment: Move To Eight ZWEP6227F.pdf"],
    "mailparser_it_meteo_pdf_jpg.eml": ['"Porcile, M." <mporcile@server_mail.it>', "Attachment: Bollettino.pdf"],
    "tika_test-incremental-updates.eml": ["From: Tim Allison <tallison@apache.org>"],
    "tika_testEmailWithPNGAtt.eml": ["This email has a PNG attachment included in it"],
    "tika_testRFC822_multipart_attachments.eml": ["From: Bugs Bunny <Bugs.Bunny@acme.com>", "Chetan"],
}


@pytest.mark.parametrize("name", sorted(EML_EXPECTED))
def test_real_eml(name):
    extracted = extract_eml(real(LETTERS / name), name, Limits())
    for expected in EML_EXPECTED[name]:
        assert expected in extracted.pages[0].text
    assert extracted.extra["errors"] == []


def test_real_eml_attachments_are_the_files():
    ibm = extract_eml(real(LETTERS / "mailparser_it_ibm_with_pdf.eml"), "m.eml", Limits())
    assert {m.name: m.data[:5] for m in ibm.members}["Move To Eight ZWEP6227F.pdf"] == b"%PDF-"
    txt = extract_eml(real(LETTERS / "tika_testRFC822_multipart_attachments.eml"), "m.eml", Limits())
    assert [(m.name, m.data) for m in txt.members] == [("Test TxtA.txt", b"This is Test TXTA File for parser"),
                                                       ("Test TxtB.txt", b"This is Test TXTB File for parser")]
    newsletter = extract_eml(real(LETTERS / "mailparser_fr_newsletter.eml"), "m.eml", Limits())
    assert len(newsletter.members) == 5  # inline images of a multipart/related inside multipart/alternative


@pytest.mark.parametrize("name, expected", [
    ("mailparser_malformed_1.eml", "From: <femucca@tin.it>"),
    ("mailparser_malformed_2_dsn.eml", "(Was addressed to abh@netpar.com.br)"),
    ("mailparser_malformed_3.eml", 'Reply-To: "VICTORIA Souvenirs" <smgesi4@gmail.com>'),
])
def test_malformed_real_eml_is_read_anyway(name, expected):
    extracted = extract_eml(real(BAD / name), name, Limits())
    assert expected in extracted.pages[0].text


def test_delivery_report_parts_become_text_members():
    extracted = extract_eml(real(BAD / "mailparser_malformed_2_dsn.eml"), "dsn.eml", Limits())
    members = {m.name: m.data for m in extracted.members}
    assert b"Final-Recipient: rfc822; abh@netpar.com.br" in members["DSN57BAC498.txt"]
    assert any(b'"Reynaldo Stevens" <tanya@infospacemail.com>' in data for data in members.values())


def test_encrypted_zip_attachment_reaches_the_archive_extractor():
    extracted = extract_eml(real(BAD / "tika_testRFC822_encrypted_zip.eml"), "m.eml", Limits())
    assert "From: Juha Haaga <juha.haaga@gmail.com>" in extracted.pages[0].text
    archive = extract_zip(extracted.members[0].data, "test.zip", Limits())
    assert archive.members == []
    assert [(name, code) for name, code, _ in archive.extra["errors"]] == [("text.txt", "encrypted_document")]


MSG_EXPECTED = {
    "mailparser_outlook_1.msg": (["To: <gaiser-schoenenborn@kreis-tuebingen.de>", "Sehr geehrte Frau"],
                                 ["newsletter.png", "spacer.gif", "image004.jpg", "image006.jpg", "image008.jpg"]),
    "tika_testMSG_att_doc_fr.msg": (["<nicolas1.23456@free.fr>", "Subject: test pièce jointe 1"],
                                    ["test-unicode.doc", "pj1.txt"]),
    "tika_testMSG_forwarded.msg": (["From: Paul Allan Hill <paul@metajure.com>", "Original Body"], []),
}


@pytest.mark.parametrize("name", sorted(MSG_EXPECTED))
def test_real_msg(name):
    extracted = extract_msg(real(LETTERS / name), name, Limits())
    texts, attachments = MSG_EXPECTED[name]
    for expected in texts:
        assert expected in extracted.pages[0].text
    assert [m.name for m in extracted.members] == attachments
    assert extracted.kind == "msg"


def test_msg_embedded_in_a_word_document():
    from scanner.extract.office import extract_docx

    docx = extract_docx(real(LETTERS / "tika_EmbeddedOutlook.docx"), "a.docx", Limits())
    member = docx.members[0]
    assert member.name == "licensedTestMsgwAtt.msg"
    extracted = extract_msg(member.data, member.name, Limits())
    assert "bob@bob.com" in extracted.pages[0].text
    assert [m.name for m in extracted.members] == ["docSavedAspdf.pdf"]
    assert extracted.members[0].data.startswith(b"%PDF")


def test_an_ole_file_that_is_not_a_message_is_malformed_email():
    with pytest.raises(ScanError) as caught:
        extract_msg(real(BAD / "tika_testWORD_protected_passtika.docx"), "x.msg", Limits())
    assert caught.value.code == "malformed_email"
