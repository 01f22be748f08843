"""The recognizer set, by name, as models/analyzer.yaml lists it."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from scanner.analyze.recognizers.address import AddressRecognizer
from scanner.analyze.recognizers.bic import BicRecognizer
from scanner.analyze.recognizers.credit_card import PaymentCardRecognizer
from scanner.analyze.recognizers.date_of_birth import DateOfBirthRecognizer
from scanner.analyze.recognizers.email import EmailAddressRecognizer
from scanner.analyze.recognizers.enterprise_number import EnterpriseNumberRecognizer
from scanner.analyze.recognizers.iban import IbanCodeRecognizer
from scanner.analyze.recognizers.id_card_number import IdCardNumberRecognizer
from scanner.analyze.recognizers.ip_address import IpAddressRecognizer
from scanner.analyze.recognizers.mrz import MrzRecognizer
from scanner.analyze.recognizers.national_number import NationalNumberRecognizer
from scanner.analyze.recognizers.password import PasswordRecognizer
from scanner.analyze.recognizers.person import PersonRecognizer
from scanner.analyze.recognizers.phone import PhoneNumberRecognizer

RECOGNIZERS: dict[str, type[EntityRecognizer]] = {
    cls.__name__: cls
    for cls in (
        NationalNumberRecognizer, EnterpriseNumberRecognizer, IdCardNumberRecognizer, IbanCodeRecognizer,
        BicRecognizer, PaymentCardRecognizer, PhoneNumberRecognizer, EmailAddressRecognizer, IpAddressRecognizer,
        PersonRecognizer, AddressRecognizer, DateOfBirthRecognizer, PasswordRecognizer, MrzRecognizer,
    )
}
