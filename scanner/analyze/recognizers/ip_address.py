"""IP addresses (IP_ADDRESS): Presidio's recognizer with our context words."""

from __future__ import annotations

from presidio_analyzer.predefined_recognizers import IpRecognizer as PresidioIpRecognizer

CONTEXT = ["ip", "ipv4", "ipv6", "adresse ip", "ip-adres", "ip-adresse", "ip address", "connexion", "login", "aanmelding"]


class IpAddressRecognizer(PresidioIpRecognizer):
    def __init__(self, supported_language: str = "fr"):
        super().__init__(context=CONTEXT, supported_language=supported_language, name="IpAddressRecognizer")
