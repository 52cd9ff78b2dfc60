"""The words name parsing recognises: titles, post-nominals, particles, Iberian names.

Every key is folded the way `word_key` folds a word: casefolded, dots and apostrophes dropped,
so `Dr.`, `dr` and `DR` are one key, `Ph.D.` is `phd` and `Dott.ssa` is `dottssa`.
"""

from __future__ import annotations

import unicodedata

_DROPPED = str.maketrans("", "", ".'’")


def word_key(word: str) -> str:
    """`Dipl.-Ing.` -> `dipl-ing`, `Ph.D.` -> `phd`, `Sra.` -> `sra`."""
    return unicodedata.normalize("NFC", word.casefold()).translate(_DROPPED)


def _keys(text: str) -> frozenset[str]:
    return frozenset(word_key(word) for word in text.split())


def _forms(text: str) -> dict[str, str]:
    """Key -> the usual spelling (the first given), for names written all in capitals."""
    forms: dict[str, str] = {}
    for word in text.split():
        forms.setdefault(word_key(word), word)
    return forms


def _spellings(text: str) -> dict[str, tuple[str, ...]]:
    """Key -> every usual spelling (PhD and Ph.D.), the first the one written for a name in
    capitals or lower case."""
    spellings: dict[str, tuple[str, ...]] = {}
    for word in text.split():
        spellings[word_key(word)] = (*spellings.get(word_key(word), ()), word)
    return spellings


# Before a name: forms of address and academic or professional titles. A word here is a title
# only before at least one name word; AMBIGUOUS_TITLES (also given names or surnames: Pan Wei,
# Don Johnson, M. Kowalski as an initial) only before at least two.
PREFIX_TITLES = _forms(
    # English
    "Mr Mrs Ms Miss Mx Dr Prof Sir Dame Lord Lady Rev Revd Fr Hon Capt Col Gen Maj Lt Cdr "
    # German, Austrian, Swiss, Scandinavian
    "Herr Frau Hr Fru Dipl.-Ing. Dipl.-Kfm. Dipl.-Kffr. Dipl.-Inf. Dipl.-Phys. Dipl.-Volksw. "
    "Dipl. Dr.-Ing. Dr.-Ing Mag. Mag.a Univ.-Prof. Priv.-Doz. Doz. "
    # Polish, Czech, Slovak
    "Pan Pani Mgr Inż. Hab. Lek. Mec. Ks. Doc. Bc. Ing. JUDr. MUDr. PhDr. RNDr. PaedDr. "
    # Spanish, Portuguese
    "Sr. Sra. Srta. Sres. Don Doña Dña. Dª Lic. Lcdo. Lcda. Arq. Dra. Eng. Engº Eng.ª Srª "
    # French
    "M. Mme Mlle MM. Me Pr "
    # Italian
    "Sig. Sig.ra Sig.na Dott. Dott.ssa Prof.ssa Avv. Arch. Geom. Rag. "
    # Dutch
    "Dhr. Mevr. Mw. Ir. Drs. Ing."
)
AMBIGUOUS_TITLES = _keys("Pan Don M. Me Fr Hr Lord Lady Sir Dame Gen Hon")
# Qualifiers of a doctorate (Dr. med., Dr. rer. nat., Dr. h.c.): titles only after a title.
TITLE_QUALIFIERS = _forms(
    "med. dent. vet. rer. nat. pol. oec. phil. jur. iur. theol. techn. sc. h.c. habil. mult. "
    "hab. inż. n."
)

# After a name: degrees, honours, professional letters and generation (Jr., III). A word here
# is a post-nominal when written in its usual case (PhD, MBA, Jr.) or in capitals, so that a
# surname such as Ma (Jack Ma) or Ba is never taken for one.
POST_NOMINALS = _spellings(
    "PhD Ph.D. DPhil MPhil MBA EMBA MSc M.Sc. MS BSc B.Sc. BA B.A. MA M.A. MEng BEng MD M.D. "
    "DDS DMD JD LLM LL.M. LLB LL.B. EdD DBA MPH MSW CPA CFA ACCA FCA CIMA PMP PE P.Eng. CEng "
    "RN Esq. Esq Jr. Jr Sr. Sr II III IV OBE MBE CBE KBE DBE FRCS FRS FRSA MdB MdL "
    "Dipl.-Ing. Dipl.-Kfm."
)
# Generation markers that are part of a Brazilian surname (João Silva Filho), not a suffix.
SURNAME_ENDINGS = _keys("Filho Filha Neto Neta Júnior Junior Sobrinho Sobrinha")

# Lower-case words that belong to the surname after them (van der Berg, de la Cruz, da Silva).
PARTICLES = _keys(
    "van von der den de del della delle dei degli di da das do dos du des la le lo las los "
    "ten ter te zu zum zur vom op af av bin ibn bint al el y e i"
)
# Connectors between two surnames (Ortega y Gasset, Sousa e Silva): never a surname alone.
CONNECTORS = _keys("y e i")

# Common Spanish and Portuguese surnames: two of them at the end of a name are one compound
# surname (García López, Silva Santos), as those languages write every name.
IBERIAN_SURNAMES = _keys(
    "García López Martínez Rodríguez Fernández González Sánchez Pérez Gómez Martín Jiménez "
    "Ruiz Hernández Díaz Moreno Álvarez Muñoz Romero Alonso Gutiérrez Navarro Torres "
    "Domínguez Vázquez Ramos Gil Ramírez Serrano Blanco Suárez Molina Morales Ortega Delgado "
    "Castro Ortiz Rubio Marín Sanz Iglesias Núñez Medina Garrido Cortés Castillo Santos "
    "Lozano Guerrero Cano Prieto Méndez Cruz Calvo Gallego Vidal León Márquez Herrera Peña "
    "Flores Cabrera Campos Vega Fuentes Carrasco Diez Caballero Reyes Nieto Aguilar Pascual "
    "Santana Herrero Montero Lorenzo Hidalgo Giménez Ibáñez Ferrer Durán Santiago Benítez "
    "Mora Vicente Vargas Arias Carmona Crespo Román Pastor Soto Sáez Velasco Moya Soler "
    "Parra Esteban Bravo Gallardo Rojas Silva Ferreira Pereira Oliveira Costa Rodrigues "
    "Martins Sousa Souza Fernandes Gonçalves Gomes Lopes Marques Alves Almeida Ribeiro "
    "Pinto Carvalho Teixeira Moreira Correia Mendes Nunes Soares Vieira Monteiro Cardoso "
    "Rocha Neves Coelho Cunha Pires Reis Simões Antunes Matos Fonseca Barbosa Araújo "
    "Nascimento Lima Freitas Azevedo Barros Batista Dias Machado Melo Moura Cavalcanti"
)
# Spanish and Portuguese given names, which come in pairs (José María, João Pedro): the second
# of them is not a first surname.
IBERIAN_GIVEN_NAMES = _keys(
    "José María Maria Juan Ana Luis Luís Carlos Manuel Antonio António Francisco Javier Miguel "
    "Pedro Jesús Ángel Carmen Isabel Pilar Teresa Luisa Rosa Paula João Paulo Eduardo "
    "Fernando Jorge Alberto Sofía Lucía Elena Inés Pablo Andrés Diego Alejandro Rafael "
    "Ignacio Felipe Vicente Ramón Tomás Mercedes Dolores Beatriz Cristina Marta Laura Sara "
    "Daniel David Sergio Raúl Enrique Alfonso Gabriel Eva Irene Clara Joaquim Joaquín Ricardo "
    "Rui Gonçalo Tiago Mariana Beatriz Leonor Inês Catarina Madalena Victoria Guadalupe"
)
# Country domains where names are written the Spanish or Portuguese way.
IBERIAN_TLDS = _keys("es pt br mx ar cl co pe ve uy py bo ec cr gt hn ni pa sv do cu pr ao mz cv")
