"""XML documents, e-invoices first: Peppol BIS / UBL 2.1 (Invoice, CreditNote) and UN/CEFACT CII
(Factur-X, ZUGFeRD), read as data; any other XML as its values.

The file is parsed with lxml, never trusting it: no DTD loaded, no entity
expanded (an external entity such as ``<!ENTITY x SYSTEM "file:///etc/passwd">``
is never read, a "billion laughs" is stopped by libxml2's amplification limit),
no network, the parser's depth and size limits kept (a text over 10 MB, a large
embedded file, is read when the file has no DOCTYPE: see ``parse``). A file that
is not well-formed XML, or that breaks those limits, is ``corrupt_document``.

One page (``number`` None, label ``ubl``, ``cii`` or ``xml``) holds one line per
value, the path of the element it sits in first, so the context words of the
recognizers stand right before the value::

    AccountingSupplierParty / Party / Contact / ElectronicMail: jan@example.be
    AccountingSupplierParty / Party / PostalAddress: Rue de la Loi 16, 1000 Bruxelles

Each value is a :class:`~scanner.extract.Field` located by an XPath-like path with
the document's own prefixes (``/Invoice/cac:InvoiceLine[2]/cac:Item/cbc:Name``,
``.../@filename``, ``.../comment()``). In an e-invoice the schema says what some
values are (``Field.entity``): e-mail addresses, phone numbers, Belgian
enterprise/VAT numbers (schemes 0208, 9925, 9956, or a ``BE`` VAT number), IBANs,
BICs, contact persons, and postal addresses, whose elements (street, number,
postcode, town) make one ``ADDRESS`` value with a field for each element inside
it. Party names are not typed (companies; the NER decides); notes and
descriptions are plain values. A ``Name`` element the schema does not type (a
party's, an item's, a tax category's) is labelled by its parent
(``Party / PartyName: Acme NV``, ``InvoiceLine / Item: Shoes``): a line ending in
``Name:`` reads as a form's name field to the person recognizer.

What is read: element text (mixed-content text too), attribute values (in an
e-invoice, not the code-list attributes such as ``currencyID`` or ``schemeID``),
comments, and the text of entities declared in the DOCTYPE. Not read: processing
instructions, XML signature blobs (``ds:SignatureValue``, certificates).

Embedded files (UBL ``cbc:EmbeddedDocumentBinaryObject``, CII
``ram:AttachmentBinaryObject``, base64) are decoded and become ``members`` (name
from their ``filename`` attribute): the pipeline scans them as documents of their
own, e.g. the PDF copy inside a UBL.BE invoice. Their base64 text is not on the page.

``extra`` keeps what the writer (scanner/redact/xml.py) needs: ``pieces``, which
span of the page is which part of which node (node index in document order,
``text``/``tail``/``attr``, attribute name, offset in the node's text);
``attachments`` (node index, member name); ``dtd`` (page spans of DOCTYPE entity text);
``sha256`` of the bytes read.

>>> from scanner.extract import Limits
>>> data = (b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
...         b'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" '
...         b'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">'
...         b'<cac:Contact><cbc:ElectronicMail> jan@example.be </cbc:ElectronicMail></cac:Contact></Invoice>')
>>> page = extract_xml(data, "i.xml", Limits()).pages[0]
>>> print(page.label, page.text, end="")
ubl Contact / ElectronicMail: jan@example.be
>>> [(page.text[f.start:f.end], f.location, f.entity) for f in page.fields]
[('jan@example.be', '/Invoice/cac:Contact/cbc:ElectronicMail', 'EMAIL_ADDRESS')]
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections import Counter
from io import BytesIO
from typing import Dict, List, Optional, Tuple

from lxml import etree

from scanner.extract import NOT_PERSONAL, Extracted, Field, Limits, Page
from scanner.extract.errors import CorruptDocument, UnreadableMember, read_as
from scanner.extract.members import Members

UBL = "urn:oasis:names:specification:ubl:schema:xsd:"
CII_ROOTS = ("CrossIndustryInvoice", "CrossIndustryDocument")
DS = "http://www.w3.org/2000/09/xmldsig#"

EMAIL, PHONE, BE_NUMBER, IBAN, BIC, PERSON, ADDRESS = (
    "EMAIL_ADDRESS", "PHONE_NUMBER", "BE_ENTERPRISE_NUMBER", "IBAN_CODE", "BIC_CODE", "PERSON", "ADDRESS")
# Peppol electronic address schemes (ISO 6523 ICD) for a Belgian enterprise number: 0208 (KBO/BCE),
# 9925 (Belgian VAT number), 9956 (the former code for the KBO/BCE, still in UBL.BE test files).
BE_SCHEMES = {"0208", "9925", "9956"}
ICD = re.compile(r"\d{4}")  # an ISO 6523 identifier scheme (the code lists' other schemes are letters: EM, VA...)
# Attributes that only ever hold codes from a code list: not values, left out of the page.
CODE_ATTRIBUTES = {"currencyID", "unitCode", "unitCodeListID", "unitCodeListAgencyID", "schemeID", "schemeName",
                   "schemeAgencyID", "schemeAgencyName", "schemeVersionID", "schemeDataURI", "schemeURI",
                   "listID", "listAgencyID", "listAgencyName", "listName", "listVersionID", "listURI",
                   "listSchemeURI", "mimeCode", "encodingCode", "characterSetCode", "format", "languageID",
                   "languageLocaleID", "schemaLocation", "noNamespaceSchemaLocation",
                   "name"}  # a code's name (PaymentMeansCode name="Credit transfer")
_SIGNATURE_BLOBS = {"SignatureValue", "DigestValue", "X509Certificate", "X509CRL", "Modulus", "Exponent"}
BINARY_OBJECTS = {"EmbeddedDocumentBinaryObject", "AttachmentBinaryObject"}

# Postal address components, in the order they are written on the ADDRESS line: groups joined by
# ", ", the elements of a group by " " (street and number, postcode and town). STREETISH: without one
# of these, a postcode and a town are not an address.
UBL_ADDRESS = (("Department",), ("Postbox",), ("BuildingName",), ("Floor",), ("Room",), ("BlockName",),
               ("StreetName", "BuildingNumber"), ("AdditionalStreetName",), ("Line",), ("District",),
               ("CitySubdivisionName",), ("PostalZone", "CityName"), ("CountrySubentity",), ("Region",))
CII_ADDRESS = (("LineOne",), ("LineTwo",), ("LineThree",), ("PostcodeCode", "CityName"),
               ("CountrySubDivisionName",))
STREETISH = {"StreetName", "AdditionalStreetName", "BuildingNumber", "Line", "Postbox", "LineOne", "LineTwo",
             "LineThree"}
UBL_PERSON = ("FirstName", "MiddleName", "FamilyName", "NameSuffix")

Piece = Tuple[int, int, int, str, Optional[str], int]  # page start, page end, node, slot, attribute, offset


def parser(huge: bool = False) -> etree.XMLParser:
    """A new parser per document (an lxml parser is not to be shared between threads): no DTD, no
    entity expansion, no network, libxml2's limits kept (``huge``: all but the size of one text),
    comments kept."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=huge,
                           remove_comments=False)


_DOCTYPE = (b"<!DOCTYPE", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))


def parse(data: bytes) -> etree._ElementTree:
    """The document tree, or CorruptDocument in plain words (never a parser exception).

    libxml2 refuses a text over 10 MB (a UBL invoice embedding a PDF over about 7 MB). Such a file
    is parsed again without that limit only when it has no DOCTYPE: without one it declares no
    entity, so nothing in it can expand, and its size is already bounded by Limits.max_bytes.
    """
    try:
        return etree.parse(BytesIO(data), parser())
    except etree.XMLSyntaxError as exc:
        message = str(exc.msg or "").lower()
        if "too long" in message and not any(marker in data for marker in _DOCTYPE):
            try:
                return etree.parse(BytesIO(data), parser(huge=True))
            except etree.XMLSyntaxError as again:
                exc, message = again, str(again.msg or "").lower()
        raise _malformed(exc, message) from exc
    except (ValueError, MemoryError) as exc:
        raise CorruptDocument("the file is not well-formed XML: it could not be read") from exc


def _malformed(exc: etree.XMLSyntaxError, message: str) -> CorruptDocument:
    if "amplification" in message or "entity loop" in message or "entities" in message and "limit" in message:
        return CorruptDocument("the XML declares entities that would expand to far more than the file itself "
                               "(an entity bomb); it was not read")
    if "depth" in message:
        return CorruptDocument("the XML nests its elements more deeply than the parser's safety limit (256 "
                               "levels); it was not read")
    if "too long" in message or "huge" in message:
        return CorruptDocument("the XML holds a text over the parser's safety limit (10 MB) and declares a "
                               "DOCTYPE; it was not read")
    where = f" (line {exc.lineno})" if exc.lineno else ""
    return CorruptDocument(f"the file is not well-formed XML{where}: it is damaged, cut short, or not XML at all")


def nodes(tree: etree._ElementTree) -> List[etree._Element]:
    """Every node in document order: comments and processing instructions before the root element,
    the root's subtree (elements, comments, entity references), what follows the root. Extraction and
    redaction number nodes in this order."""
    root = tree.getroot()
    before = list(root.itersiblings(preceding=True))[::-1]
    return before + list(root.iter()) + list(root.itersiblings())


def kind_of_document(root: etree._Element) -> str:
    """``ubl``, ``cii`` or ``xml``."""
    name = etree.QName(root)
    if (name.namespace or "").startswith(UBL):
        return "ubl"
    if name.localname in CII_ROOTS:
        return "cii"
    return "xml"


def extract_xml(data: bytes, name: str, limits: Limits) -> Extracted:
    """An XML file: one page of ``path: value`` lines, embedded files as members (see the module docstring)."""
    tree = parse(data)
    with read_as(CorruptDocument, "the XML could not be read",
                 too_deep="the XML nests its elements too deeply to be read"):
        extracted = _read(tree, limits)
    extracted.extra["sha256"] = hashlib.sha256(data).hexdigest()
    return extracted


class _PageText:
    """The page built line by line, with the fields and the node pieces of each value."""

    def __init__(self) -> None:
        self.parts: List[str] = []
        self.length = 0
        self.fields: List[Field] = []
        self.pieces: List[Piece] = []

    def add(self, text: str) -> int:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start

    def value(self, value: str, location: str, entity: Optional[str], node: int, slot: str,
              attribute: Optional[str], offset: int) -> None:
        start = self.add(value)
        self.fields.append(Field(start, self.length, location, entity))
        self.pieces.append((start, self.length, node, slot, attribute, offset))

    def line(self, label: str, value: str, location: str, entity: Optional[str], node: int, slot: str,
             attribute: Optional[str] = None, offset: int = 0) -> None:
        self.add(f"{label}: ")
        self.value(value, location, entity, node, slot, attribute, offset)
        self.add("\n")

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _stripped(text: Optional[str]) -> Tuple[str, int]:
    """The value without surrounding whitespace, and where it starts in ``text``."""
    if not text or not text.strip():
        return "", 0
    return text.strip(), len(text) - len(text.lstrip())


class _Paths:
    """XPath-like locations (``/Invoice/cac:InvoiceLine[2]/cbc:ID``) and labels (``InvoiceLine / ID``)."""

    def __init__(self, root: etree._Element) -> None:
        self.locations: Dict[etree._Element, str] = {}
        self.labels: Dict[etree._Element, str] = {}
        self.locations[root] = "/" + _qualified(root)
        self.labels[root] = ""
        for parent in root.iter(tag=etree.Element):
            if not len(parent):
                continue
            counts = Counter(child.tag for child in parent if isinstance(child.tag, str))
            seen: Counter = Counter()
            comments = sum(1 for child in parent if child.tag is etree.Comment)
            comment_number = 0
            for child in parent:
                if isinstance(child.tag, str):
                    seen[child.tag] += 1
                    step = _qualified(child) + (f"[{seen[child.tag]}]" if counts[child.tag] > 1 else "")
                    self.locations[child] = f"{self.locations[parent]}/{step}"
                    local = _local(child)
                    self.labels[child] = f"{self.labels[parent]} / {local}" if self.labels[parent] else local
                elif child.tag is etree.Comment:
                    comment_number += 1
                    step = "comment()" + (f"[{comment_number}]" if comments > 1 else "")
                    self.locations[child] = f"{self.locations[parent]}/{step}"

    def location(self, node: etree._Element) -> str:
        return self.locations.get(node) or ("/comment()" if node.tag is etree.Comment else "/")

    def label(self, element: etree._Element) -> str:
        return self.labels.get(element) or etree.QName(element).localname


def _local(element: etree._Element) -> str:
    """The tag without its namespace (``{urn:...}ElectronicMail`` -> ``ElectronicMail``)."""
    return element.tag.rpartition("}")[2]


def _qualified(element: etree._Element) -> str:
    local = _local(element)
    return f"{element.prefix}:{local}" if element.prefix else local


def _attribute_step(element: etree._Element, key: str) -> Tuple[str, str]:
    """(``@prefix:name`` for the location, ``name`` for the label) of an attribute key (Clark notation)."""
    qname = etree.QName(key)
    if not qname.namespace:
        return f"@{qname.localname}", qname.localname
    prefix = next((p for p, uri in (element.nsmap or {}).items() if uri == qname.namespace and p), None)
    if qname.namespace == "http://www.w3.org/XML/1998/namespace":
        prefix = "xml"
    return (f"@{prefix}:{qname.localname}" if prefix else f"@{qname.localname}"), qname.localname


def _read(tree: etree._ElementTree, limits: Limits) -> Extracted:
    root = tree.getroot()
    kind = kind_of_document(root)
    schema = kind in ("ubl", "cii")
    all_nodes = nodes(tree)
    index_of = {node: number for number, node in enumerate(all_nodes)}
    paths = _Paths(root)
    page = _PageText()
    bag = Members(limits)
    attachments: List[dict] = []
    consumed: set = set()  # elements whose text went into an ADDRESS or PERSON line
    for number, node in enumerate(all_nodes):
        tag = node.tag
        if isinstance(tag, str):
            _element(node, number, kind, paths, page, index_of, consumed, bag, attachments)
        elif tag is etree.Comment:
            value, offset = _stripped(node.text)
            if value:
                parent = node.getparent()
                label = f"{paths.label(parent)} / comment" if parent is not None else "comment"
                page.line(label, value, paths.location(node), None, number, "text", offset=offset)
        # Text after a node inside its parent (mixed content, or after an entity reference or comment).
        parent = node.getparent()
        if parent is not None:
            value, offset = _stripped(node.tail)
            if value:
                page.line(paths.label(parent), value, f"{paths.location(parent)}/text()", None, number, "tail",
                          offset=offset)
    dtd = _dtd_entities(tree, page)
    fields = sorted(page.fields, key=lambda f: (f.start, -f.end))
    label = kind if schema else "xml"
    return Extracted(pages=[Page(page.text, number=None, source="text", label=label, fields=fields)],
                     kind="xml", encoding=tree.docinfo.encoding or "UTF-8", members=bag.members,
                     extra={"format": kind, "pieces": page.pieces, "attachments": attachments, "dtd": dtd,
                            "nodes": len(all_nodes), "errors": bag.errors})


def _element(element: etree._Element, number: int, kind: str, paths: _Paths, page: _PageText,
             index_of: Dict[etree._Element, int], consumed: set, bag: Members, attachments: List[dict]) -> None:
    qname = etree.QName(element)
    local, namespace = qname.localname, qname.namespace or ""
    schema = kind in ("ubl", "cii")
    if schema:
        aggregate = _aggregate(element, kind)
        if aggregate:
            _aggregate_line(element, aggregate, paths, page, index_of, consumed)
    if schema and local in BINARY_OBJECTS:
        attachments.append({"node": number, "member": _attachment(element, bag)})
    elif element not in consumed and not (namespace == DS and local in _SIGNATURE_BLOBS):
        value, offset = _stripped(element.text)
        if value:
            entity = _entity(element, kind, value) if schema else None
            label = paths.label(element)
            if schema and entity is None and local == "Name":
                # A company's, a product's, a tax category's name: "PartyName: My Company", "Item: Shoes",
                # not "Item / Name: Shoes", which the person recognizer reads as a form's "Name:" field.
                label = paths.label(element.getparent())
            page.line(label, value, paths.location(element), entity, number, "text", offset=offset)
    for key, raw in element.attrib.items():
        step, name = _attribute_step(element, key)
        if schema and name in CODE_ATTRIBUTES:
            continue
        value, offset = _stripped(raw)
        if value:
            page.line(f"{paths.label(element)} / @{name}", value, f"{paths.location(element)}/{step}", None,
                      number, "attr", key, offset)


# --- What the schema says -----------------------------------------------------------------------

def _parent_local(element: etree._Element) -> str:
    parent = element.getparent()
    return etree.QName(parent).localname if parent is not None else ""


def _entity(element: etree._Element, kind: str, value: str) -> Optional[str]:
    """The entity type an e-invoice's schema gives this element's value, if any."""
    local, parent = etree.QName(element).localname, _parent_local(element)
    scheme = (element.get("schemeID") or "").strip().upper()
    entity = _ubl_entity(local, parent, scheme, value) if kind == "ubl" else _cii_entity(local, parent, scheme, value)
    return entity if entity and plausible(entity, value) else None


_PLACEHOLDER = re.compile(r"<[A-Z_]+>")


def plausible(entity: str, value: str) -> bool:
    """Whether a value can be what the schema says (types with a checksum are checked by the analyzer):
    an e-mail address has an ``@``, a phone number digits, a name or an address letters or digits
    besides what a redaction writes (``<PERSON>``, ``****``). A redacted copy must not report its own
    placeholders as findings.

    >>> plausible("EMAIL_ADDRESS", "<EMAIL_ADDRESS>"), plausible("ADDRESS", "<ADDRESS>, <ADDRESS>")
    (False, False)
    >>> plausible("PHONE_NUMBER", "+32 2 123 45 67"), plausible("PERSON", "Jan Peeters")
    (True, True)
    """
    if entity == EMAIL:
        return "@" in value
    if entity == PHONE:
        return sum(ch.isdigit() for ch in value) >= 5
    return any(ch.isalnum() for ch in _PLACEHOLDER.sub("", value))


def _ubl_entity(local: str, parent: str, scheme: str, value: str) -> Optional[str]:
    if local == "ElectronicMail":
        return EMAIL
    if local in ("Telephone", "Telefax"):
        return PHONE
    if local == "EndpointID":
        if scheme == "EM":
            return EMAIL
        return _organisation(scheme)
    if (local, parent) in (("ID", "PartyIdentification"), ("CompanyID", "PartyLegalEntity")):
        return _organisation(scheme)
    if (local, parent) == ("CompanyID", "PartyTaxScheme"):
        return BE_NUMBER if scheme in BE_SCHEMES or value.upper().startswith("BE") else None
    if local == "ID" and parent in ("PayeeFinancialAccount", "PayerFinancialAccount"):
        return IBAN
    if local == "ID" and parent in ("FinancialInstitutionBranch", "FinancialInstitution"):
        return BIC
    if local == "Name" and parent == "Contact":
        return PERSON  # a contact person (an account holder's name is often a company's: NER decides)
    return None


def _cii_entity(local: str, parent: str, scheme: str, value: str) -> Optional[str]:
    if local == "URIID":
        if parent == "EmailURIUniversalCommunication" or scheme == "EM":
            return EMAIL
        return _organisation(scheme)
    if local == "CompleteNumber" and parent.endswith(("TelephoneUniversalCommunication", "FaxUniversalCommunication")):
        return PHONE
    if local == "PersonName":
        return PERSON
    if local == "ID" and parent == "SpecifiedTaxRegistration":
        return BE_NUMBER if scheme in BE_SCHEMES or value.upper().startswith("BE") else None
    if local in ("ID", "GlobalID") and scheme:
        return _organisation(scheme)  # SpecifiedLegalOrganization/ID, a party's GlobalID
    if local == "IBANID":
        return IBAN
    if local == "BICID":
        return BIC
    return None


def _organisation(scheme: str) -> Optional[str]:
    """A party identifier under an ISO 6523 scheme: a Belgian enterprise number, or another country's
    organisation number (GLN 0088, SIRET 0009, DUNS 0060, ...), which is no one's personal data."""
    if scheme in BE_SCHEMES:
        return BE_NUMBER
    return NOT_PERSONAL if ICD.fullmatch(scheme) else None


def _aggregate(element: etree._Element, kind: str) -> Optional[Tuple[str, tuple]]:
    """(entity, component groups) when this element is a postal address or a person's name in parts."""
    local = etree.QName(element).localname
    if kind == "ubl" and local.endswith("Address"):
        return ADDRESS, UBL_ADDRESS
    if kind == "ubl" and local == "Person":
        return PERSON, tuple((name,) for name in UBL_PERSON)
    if kind == "cii" and local == "PostalTradeAddress":
        return ADDRESS, CII_ADDRESS
    return None


def _aggregate_line(element: etree._Element, aggregate: Tuple[str, tuple], paths: _Paths, page: _PageText,
                    index_of: Dict[etree._Element, int], consumed: set) -> None:
    """One line for an address (``Rue de la Loi 16, 1000 Bruxelles``) or a name in parts
    (``Jan Peeters``): a typed field over the whole value, a plain one for each element in it."""
    entity, groups = aggregate
    components: Dict[str, List[etree._Element]] = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        local = etree.QName(child).localname
        if local == "AddressLine":  # cac:AddressLine/cbc:Line
            for line in child:
                if isinstance(line.tag, str) and etree.QName(line).localname == "Line":
                    components.setdefault("Line", []).append(line)
        else:
            components.setdefault(local, []).append(child)
    written = []  # groups of (element, value, offset)
    for group in groups:
        parts = [(child, *_stripped(child.text)) for name in group for child in components.get(name, [])]
        parts = [part for part in parts if part[1]]
        if parts:
            written.append(parts)
    if not written:
        return
    streetish = entity != ADDRESS or any(etree.QName(part[0]).localname in STREETISH
                                         for group in written for part in group)
    whole = ", ".join(" ".join(part[1] for part in group) for group in written)
    typed = entity if streetish and plausible(entity, whole) else None
    page.add(f"{paths.label(element)}: ")
    start = page.length
    for number, group in enumerate(written):
        if number:
            page.add(", " if entity == ADDRESS else " ")
        for position, (child, value, offset) in enumerate(group):
            if position:
                page.add(" ")
            page.value(value, paths.location(child), None, index_of[child], "text", None, offset)
            consumed.add(child)
    page.fields.append(Field(start, page.length, paths.location(element), typed))
    page.add("\n")


# --- Embedded files and the DOCTYPE -------------------------------------------------------------

def _attachment(element: etree._Element, bag: Members) -> Optional[str]:
    """An embedded file decoded into a member; its name, or None when it was not kept (error recorded)."""
    text = element.text or ""
    name = element.get("filename") or _fallback_name(element.get("mimeCode"), len(bag.members) + len(bag.errors))
    if not text.strip():
        return None
    if not bag.room_for(name, len(text) * 3 // 4):
        return None
    try:
        blob = base64.b64decode(re.sub(r"\s+", "", text), validate=True)
    except (binascii.Error, ValueError):
        bag.error(name, UnreadableMember.code, "this embedded file is not valid base64; it was not scanned")
        return None
    return bag.add(name, blob)


_SUFFIXES = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg", "text/csv": ".csv",
             "application/xml": ".xml", "text/xml": ".xml", "text/plain": ".txt",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
             "application/vnd.oasis.opendocument.spreadsheet": ".ods"}


def _fallback_name(mime: Optional[str], number: int) -> str:
    return f"attachment-{number + 1}{_SUFFIXES.get((mime or '').strip().lower(), '')}"


def _dtd_entities(tree: etree._ElementTree, page: _PageText) -> List[Tuple[int, int]]:
    """The text of entities declared in the DOCTYPE (never expanded, but a value can hide there)."""
    dtd = tree.docinfo.internalDTD
    spans: List[Tuple[int, int]] = []
    if dtd is None:
        return spans
    for declaration in dtd.iterentities():
        value, _ = _stripped(declaration.content)
        if value:
            page.add(f"DOCTYPE / ENTITY {declaration.name}: ")
            start = page.add(value)
            page.fields.append(Field(start, page.length, f"/!DOCTYPE/!ENTITY[{declaration.name}]"))
            page.add("\n")
            spans.append((start, page.length))
    return spans
