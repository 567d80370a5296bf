"""Synthetic briefing projects of any size, for benchmarks and tests.

    generate(target, cases=30, timeline_per_case=12, citations=4, recipients=200,
             languages=["en", "ru"], seed=0)
    python -m benchmarks.generate DIR --cases 30 --timeline-per-case 12 --citations 4 \
        --recipients 200 --languages en,ru --seed 0

writes DIR/briefgen.yaml and DIR/content/*.yaml, valid under the content format version 1
(shared/spec/content-format.md): fictional people with Azerbaijani and Cyrillic names, cases
with a few sentences of summary, timelines, charges, sentences, violations, international
proceedings, internal notes and confidential contacts, sources cited as `[@source-id, p. 12]`,
recommendations, one event, and recipients of personalised copies. Every localized field
has a text in each of `languages` (en, ru, az, fr), so builds report no fallbacks, and every
item is used, so `briefgen validate` reports nothing.

Sizes:
- `cases`: number of cases (each with one subject, some with two);
- `timeline_per_case`: timeline entries of every case;
- `citations`: citations per case (footnotes), spread over its summary and timeline;
- `recipients`: recipients of the policy brief's personalised copies (0: no recipients);
- `sources`: number of sources (default: enough for the citations, at least 4).

The project has three briefs, ids in BRIEFS: a case dossier of all cases (`case-dossier`,
audience `partners`, internal clearance), a policy brief with one personalised copy per
recipient (`policy-brief`, audience `eu-policymakers`) and an event summary
(`event-summary`). Recipients are in content/recipients.yaml alone, so that a project with
other recipients can reuse every other file.

The same arguments and seed give the same files, byte for byte.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("en", "ru", "az", "fr")
AS_OF = date(2016, 6, 30)
DOSSIER, POLICY_BRIEF, EVENT_SUMMARY = "case-dossier", "policy-brief", "event-summary"
BRIEFS = (DOSSIER, POLICY_BRIEF, EVENT_SUMMARY)
RECIPIENTS_FILE = "content/recipients.yaml"
POLICY_BRIEF_CASES = 6  # cases shown in the policy brief (and discussed at the event)


# ---------------------------------------------------------------- vocabulary

# (Azerbaijani, Russian) spellings; English and French texts use the Azerbaijani spelling.
MALE_FIRST = [
    ("Rəşad", "Рашад"), ("Emin", "Эмин"), ("İlqar", "Ильгар"), ("Tofiq", "Тофик"), ("Fərid", "Фарид"),
    ("Orxan", "Орхан"), ("Vüqar", "Вугар"), ("Mübariz", "Мубариз"), ("Elçin", "Эльчин"),
    ("Həsən", "Гасан"), ("Anar", "Анар"), ("Rasul", "Расул"), ("İntiqam", "Интигам"), ("Ziya", "Зия"),
    ("Şahin", "Шахин"), ("Bəxtiyar", "Бахтияр"), ("Əli", "Али"), ("Nicat", "Ниджат"), ("Qiyas", "Гияс"),
    ("Tağı", "Таги"),
]  # fmt: skip
FEMALE_FIRST = [
    ("Günel", "Гюнель"), ("Şəhla", "Шахла"), ("Xədicə", "Хадиджа"), ("Leyla", "Лейла"),
    ("Ülviyyə", "Ульвия"), ("Aynur", "Айнур"), ("Nərmin", "Нармин"), ("Səbinə", "Сабина"),
    ("Zəhra", "Захра"), ("Aytən", "Айтен"), ("Fatimə", "Фатима"), ("Könül", "Кёнуль"),
    ("Gülnar", "Гюльнар"), ("Sevinc", "Севиндж"),
]  # fmt: skip
SURNAMES = [
    ("Məmmədov", "Мамедов"), ("Əliyev", "Алиев"), ("Hüseynov", "Гусейнов"), ("Quliyev", "Кулиев"),
    ("İsmayılov", "Исмаилов"), ("Cəfərov", "Джафаров"), ("Həsənov", "Гасанов"), ("Abbasov", "Аббасов"),
    ("Bağırov", "Багиров"), ("Rəhimov", "Рагимов"), ("Şükürov", "Шукюров"), ("Nəsibov", "Насибов"),
    ("Qasımov", "Касумов"), ("Babayev", "Бабаев"), ("Yunusov", "Юнусов"), ("Novruzov", "Новрузов"),
    ("Əsgərov", "Аскеров"), ("Kərimov", "Керимов"), ("Sadıqov", "Садыгов"), ("Hacıyev", "Гаджиев"),
    ("Orucov", "Оруджев"), ("Vəliyev", "Велиев"), ("Ağayev", "Агаев"), ("Mirzəyev", "Мирзоев"),
]  # fmt: skip
# Members of the European Parliament (fictional): Latin names with diacritics, some Cyrillic.
MEP_FIRST = [
    ("Anna", "f"), ("Marek", "m"), ("Sophie", "f"), ("Jan", "m"), ("Elena", "f"), ("Pieter", "m"),
    ("Ingrid", "f"), ("Tomás", "m"), ("Katarzyna", "f"), ("Lukas", "m"), ("Giulia", "f"),
    ("Mateja", "f"), ("Henrik", "m"), ("Ewa", "f"), ("Jörg", "m"), ("Zoë", "f"), ("Miguel", "m"),
    ("Kristīne", "f"), ("Dāvis", "m"), ("Jūratė", "f"), ("Ondřej", "m"), ("Łukasz", "m"),
    ("Søren", "m"), ("Åsa", "f"), ("Žiga", "m"), ("Мария", "f"), ("Георги", "m"), ("Радослава", "f"),
]  # fmt: skip
MEP_SURNAMES = [
    "Novak", "Dubois", "Janssen", "Kowalska", "Rossi", "Müller", "Lindqvist", "Horváth", "Ferreira",
    "Nielsen", "Papadopoulou", "Kalniņa", "Šimkus", "Dvořák", "Wiśniewski", "O'Brien", "García",
    "Leclercq", "Virtanen", "Ó Súilleabháin", "Kovačič", "Ionescu", "Петрова", "Иванов", "Димитрова",
]  # fmt: skip
MEP_COUNTRIES = ["AT", "BE", "BG", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "HR", "HU", "IE", "IT", "LT",
                 "LV", "NL", "PL", "PT", "RO", "SE", "SI", "SK"]  # fmt: skip

CITIES = [
    {"en": "Baku", "ru": "Баку", "az": "Bakı", "fr": "Bakou"},
    {"en": "Ganja", "ru": "Гянджа", "az": "Gəncə", "fr": "Gandja"},
    {"en": "Sumqayıt", "ru": "Сумгаит", "az": "Sumqayıt", "fr": "Soumgaït"},
    {"en": "Lənkəran", "ru": "Ленкорань", "az": "Lənkəran", "fr": "Lankaran"},
    {"en": "Naxçıvan", "ru": "Нахичевань", "az": "Naxçıvan", "fr": "Nakhitchevan"},
    {"en": "Şəki", "ru": "Шеки", "az": "Şəki", "fr": "Cheki"},
]
PROFESSIONS = [
    {"en": "human rights defender", "ru": "правозащитник", "az": "hüquq müdafiəçisi",
     "fr": "défenseur des droits humains"},
    {"en": "investigative journalist", "ru": "журналист-расследователь", "az": "araşdırmaçı jurnalist",
     "fr": "journaliste d'investigation"},
    {"en": "lawyer", "ru": "адвокат", "az": "vəkil", "fr": "avocat"},
    {"en": "blogger", "ru": "блогер", "az": "bloqer", "fr": "blogueur"},
    {"en": "youth activist", "ru": "молодёжный активист", "az": "gənc fəal", "fr": "militant de la jeunesse"},
    {"en": "election monitor", "ru": "наблюдатель на выборах", "az": "seçki müşahidəçisi",
     "fr": "observateur électoral"},
    {"en": "economist", "ru": "экономист", "az": "iqtisadçı", "fr": "économiste"},
]  # fmt: skip
TOPICS = [
    {"en": "corruption in public procurement", "ru": "коррупцию в государственных закупках",
     "az": "dövlət satınalmalarında korrupsiyanı", "fr": "la corruption dans les marchés publics"},
    {"en": "torture in police custody", "ru": "пытки в полиции", "az": "polis nəzarətində işgəncələri",
     "fr": "la torture en garde à vue"},
    {"en": "the conduct of elections", "ru": "проведение выборов", "az": "seçkilərin keçirilməsini",
     "fr": "le déroulement des élections"},
    {"en": "forced evictions in the capital", "ru": "принудительные выселения в столице",
     "az": "paytaxtda məcburi köçürmələri", "fr": "les expulsions forcées dans la capitale"},
    {"en": "restrictions on the funding of NGOs", "ru": "ограничения финансирования НПО",
     "az": "QHT-lərin maliyyələşməsinə qoyulan məhdudiyyətləri",
     "fr": "les restrictions au financement des ONG"},
    {"en": "the treatment of political prisoners", "ru": "обращение с политзаключёнными",
     "az": "siyasi məhbuslarla rəftarı", "fr": "le traitement des prisonniers politiques"},
]  # fmt: skip
COURTS = [
    {"en": "Baku Grave Crimes Court", "ru": "Бакинский суд по тяжким преступлениям",
     "az": "Bakı Ağır Cinayətlər Məhkəməsi", "fr": "tribunal des crimes graves de Bakou"},
    {"en": "Baku Court of Appeal", "ru": "Бакинский апелляционный суд", "az": "Bakı Apellyasiya Məhkəməsi",
     "fr": "cour d'appel de Bakou"},
    {"en": "Ganja Grave Crimes Court", "ru": "Гянджинский суд по тяжким преступлениям",
     "az": "Gəncə Ağır Cinayətlər Məhkəməsi", "fr": "tribunal des crimes graves de Gandja"},
]  # fmt: skip
CHARGES = [
    ("Criminal Code Art. 192", {"en": "Illegal entrepreneurship", "ru": "Незаконное предпринимательство",
                                "az": "Qanunsuz sahibkarlıq", "fr": "Entrepreneuriat illégal"}),
    ("Criminal Code Art. 213", {"en": "Tax evasion", "ru": "Уклонение от уплаты налогов",
                                "az": "Vergi ödəməkdən yayınma", "fr": "Fraude fiscale"}),
    ("Criminal Code Art. 308", {"en": "Abuse of office", "ru": "Злоупотребление должностными полномочиями",
                                "az": "Vəzifə səlahiyyətlərindən sui-istifadə", "fr": "Abus de pouvoir"}),
    ("Criminal Code Art. 179", {"en": "Embezzlement", "ru": "Присвоение или растрата",
                                "az": "Mənimsəmə və ya israf etmə", "fr": "Détournement de fonds"}),
    ("Criminal Code Art. 234", {"en": "Illegal possession of drugs", "ru": "Незаконное хранение наркотиков",
                                "az": "Narkotik vasitələrin qanunsuz saxlanılması",
                                "fr": "Détention illégale de stupéfiants"}),
    ("Criminal Code Art. 221", {"en": "Hooliganism", "ru": "Хулиганство", "az": "Xuliqanlıq",
                                "fr": "Hooliganisme"}),
    ("Criminal Code Art. 274", {"en": "High treason", "ru": "Государственная измена",
                                "az": "Dövlətə xəyanət", "fr": "Haute trahison"}),
    ("Criminal Code Art. 318", {"en": "Illegal border crossing", "ru": "Незаконное пересечение границы",
                                "az": "Dövlət sərhədinin qanunsuz keçilməsi",
                                "fr": "Franchissement illégal de la frontière"}),
]  # fmt: skip
RIGHTS = ["ECHR Art. 5", "ECHR Art. 6", "ECHR Art. 10", "ECHR Art. 11", "ECHR Art. 18", "ECHR Art. 3",
          "ICCPR Art. 9", "ICCPR Art. 19"]  # fmt: skip
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
    "ru": ["январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе", "сентябре",
           "октябре", "ноябре", "декабре"],
    "az": ["yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avqust", "sentyabr", "oktyabr",
           "noyabr", "dekabr"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"],
}  # fmt: skip

# Sentences: one dict per sentence, a template per language. Placeholders: {name} {city}
# {profession} {topic} {court} {month} {year} {years} {ga} (ru feminine ending) {ge} (fr).
SUMMARY_OPENINGS = [
    {"en": "{name} is a {profession} from {city} who has documented {topic} for more than {years} years.",
     "ru": "{name} — {profession} из города {city}, более {years} лет документирующий {topic}.",
     "az": "{city} şəhərindən olan {profession} {name} {years} ildən artıqdır ki, {topic} sənədləşdirir.",
     "fr": "{name} est {profession} à {city} et documente depuis plus de {years} ans {topic}."},
    {"en": "{name}, a {profession} based in {city}, was among the most visible critics of {topic}.",
     "ru": "{name}, {profession} из города {city}, был{ga} одним из самых заметных критиков, "
           "освещавших {topic}.",
     "az": "{city} şəhərində fəaliyyət göstərən {profession} {name} {topic} ən çox tənqid edənlərdən idi.",
     "fr": "{name}, {profession} à {city}, comptait parmi les critiques les plus en vue de {topic}."},
    {"en": "For over a decade {name} worked as a {profession} in {city}, reporting on {topic}.",
     "ru": "Более десяти лет {name} работал{ga} в городе {city} как {profession}, освещая {topic}.",
     "az": "On ildən artıq {name} {city} şəhərində {profession} kimi çalışaraq {topic} işıqlandırıb.",
     "fr": "Pendant plus de dix ans, {name} a travaillé comme {profession} à {city} sur {topic}."},
]  # fmt: skip
SUMMARY_MIDDLE = [
    {"en": "The authorities arrested {name} in {month} {year}, and a court ordered pre-trial detention "
           "on charges that partner organisations consider retaliation for this work.",
     "ru": "{name} был{ga} задержан{ga} в {month} {year} года, и суд избрал меру пресечения в виде ареста "
           "по обвинениям, которые партнёрские организации считают местью за эту работу.",
     "az": "{name} {year}-ci ilin {month} ayında həbs edildi və məhkəmə tərəfdaş təşkilatların bu fəaliyyətə "
           "görə cəza hesab etdiyi ittihamlarla həbs qətimkan tədbiri seçdi.",
     "fr": "Les autorités ont arrêté {name} en {month} {year} et un tribunal a ordonné sa détention "
           "provisoire pour des chefs d'accusation que les organisations partenaires jugent punitifs."},
    {"en": "The investigation relied on the testimony of two witnesses who later said they had been "
           "pressured by the police, and the defence was refused access to the case file for months.",
     "ru": "Следствие опиралось на показания двух свидетелей, которые позже заявили о давлении со стороны "
           "полиции, а защите месяцами отказывали в доступе к материалам дела.",
     "az": "İstintaq sonradan polisin təzyiqinə məruz qaldıqlarını bildirən iki şahidin ifadələrinə "
           "əsaslanırdı, müdafiə tərəfinə isə aylarla iş materialları ilə tanış olmağa icazə verilmədi.",
     "fr": "L'enquête reposait sur le témoignage de deux témoins qui ont ensuite dit avoir subi des "
           "pressions de la police, et la défense n'a pas eu accès au dossier pendant des mois."},
    {"en": "At trial before the {court}, the judge dismissed every motion of the defence and refused to "
           "hear the witnesses it had called.",
     "ru": "На процессе в суде ({court}) судья отклонил все ходатайства защиты и отказался допросить "
           "вызванных ею свидетелей.",
     "az": "{court} qarşısında keçirilən məhkəmədə hakim müdafiənin bütün vəsatətlərini rədd etdi və onun "
           "çağırdığı şahidləri dinləməkdən imtina etdi.",
     "fr": "Lors du procès devant le {court}, le juge a rejeté toutes les requêtes de la défense et refusé "
           "d'entendre ses témoins."},
    {"en": "Bank accounts linked to the work of {name} were frozen, and colleagues were questioned "
           "repeatedly by the prosecutor's office.",
     "ru": "Банковские счета, связанные с работой, которую вёл{ga} {name}, были заморожены, а коллег "
           "неоднократно допрашивали в прокуратуре.",
     "az": "{name} ilə bağlı bank hesabları donduruldu, həmkarları isə dəfələrlə prokurorluğa dindirilməyə "
           "çağırıldı.",
     "fr": "Les comptes bancaires liés au travail de {name} ont été gelés et ses collègues interrogés à "
           "plusieurs reprises par le parquet."},
]  # fmt: skip
SUMMARY_CLOSINGS = [
    {"en": "Domestic remedies have been exhausted, and an application is pending before the European "
           "Court of Human Rights.",
     "ru": "Внутренние средства правовой защиты исчерпаны, жалоба находится на рассмотрении Европейского "
           "суда по правам человека.",
     "az": "Daxili hüquqi müdafiə vasitələri tükənib, şikayət Avropa İnsan Hüquqları Məhkəməsində "
           "baxılmaqdadır.",
     "fr": "Les voies de recours internes sont épuisées et une requête est pendante devant la Cour "
           "européenne des droits de l'homme."},
    {"en": "Family members report that the health of {name} has deteriorated in detention and that "
           "requests for independent medical care were refused.",
     "ru": "Родственники сообщают, что здоровье, которым отличал{ga}ся {name}, в заключении ухудшилось, "
           "а просьбы о независимой медицинской помощи были отклонены.",
     "az": "Ailə üzvlərinin sözlərinə görə, {name} həbsdə səhhəti pisləşib və müstəqil tibbi yardım "
           "istəkləri rədd edilib.",
     "fr": "Sa famille indique que la santé de {name} s'est dégradée en détention et que les demandes de "
           "soins médicaux indépendants ont été refusées."},
    {"en": "International observers who attended the hearings described the proceedings as falling far "
           "short of fair trial standards.",
     "ru": "Международные наблюдатели, присутствовавшие на заседаниях, заявили, что процесс далёк от "
           "стандартов справедливого суда.",
     "az": "Məhkəmə iclaslarında iştirak edən beynəlxalq müşahidəçilər prosesi ədalətli məhkəmə "
           "standartlarından çox uzaq adlandırdılar.",
     "fr": "Les observateurs internationaux présents aux audiences ont jugé la procédure très éloignée des "
           "normes du procès équitable."},
]  # fmt: skip
TIMELINE_TEXT = {
    "search": {"en": "Police searched the home and office in {city} and seized laptops and documents.",
               "ru": "Полиция провела обыски дома и в офисе в городе {city} и изъяла ноутбуки и документы.",
               "az": "Polis {city} şəhərində ev və ofisdə axtarış apararaq noutbuk və sənədləri götürdü.",
               "fr": "La police a perquisitionné le domicile et le bureau à {city} et saisi ordinateurs et "
                     "documents."},
    "arrest": {"en": "Arrested in {city} on the way to a meeting with foreign diplomats.",
               "ru": "Задержание в городе {city} по дороге на встречу с иностранными дипломатами.",
               "az": "Xarici diplomatlarla görüşə gedərkən {city} şəhərində həbs edildi.",
               "fr": "Arrestation à {city} en se rendant à une réunion avec des diplomates étrangers."},
    "charge": {"en": "Formally charged; the indictment cites the organisation's foreign grants.",
               "ru": "Официально предъявлено обвинение; в нём упоминаются иностранные гранты организации.",
               "az": "Rəsmi ittiham irəli sürüldü; ittihamda təşkilatın xarici qrantları göstərilir.",
               "fr": "Inculpation officielle ; l'acte d'accusation cite les subventions étrangères de "
                     "l'organisation."},
    "detention": {"en": "The district court ordered three months of pre-trial detention.",
                  "ru": "Районный суд избрал меру пресечения в виде трёх месяцев ареста.",
                  "az": "Rayon məhkəməsi üç ay müddətinə həbs qətimkan tədbiri seçdi.",
                  "fr": "Le tribunal de district a ordonné trois mois de détention provisoire."},
    "detention-extended": {"en": "Pre-trial detention extended by a further {n} months without new "
                                 "evidence.",
                           "ru": "Срок содержания под стражей продлён ещё на {n} мес. без новых "
                                 "доказательств.",
                           "az": "Həbs müddəti yeni sübut olmadan daha {n} ay uzadıldı.",
                           "fr": "Détention provisoire prolongée de {n} mois sans élément nouveau."},
    "trial": {"en": "Hearing before the {court}; the defence's motion to call witnesses was refused.",
              "ru": "Заседание в суде ({court}); ходатайство защиты о вызове свидетелей отклонено.",
              "az": "{court} iclası; müdafiənin şahid çağırmaq vəsatəti rədd edildi.",
              "fr": "Audience devant le {court} ; la demande de citer des témoins de la défense est "
                    "rejetée."},
    "verdict": {"en": "Sentenced by the {court} to {sentence_years} years in prison.",
                "ru": "Приговор суда ({court}): {sentence_years} лет лишения свободы.",
                "az": "{court} tərəfindən {sentence_years} il həbs cəzasına məhkum edildi.",
                "fr": "Condamnation par le {court} à {sentence_years} ans de prison."},
    "appeal": {"en": "The appeal was rejected after a hearing of less than an hour.",
               "ru": "Апелляция отклонена после заседания, длившегося меньше часа.",
               "az": "Apellyasiya şikayəti bir saatdan az davam edən iclasdan sonra rədd edildi.",
               "fr": "L'appel a été rejeté après une audience de moins d'une heure."},
    "international": {"en": "The European Parliament called for release in an urgency resolution.",
                      "ru": "Европейский парламент призвал к освобождению в срочной резолюции.",
                      "az": "Avropa Parlamenti təcili qətnamədə azad edilməyə çağırdı.",
                      "fr": "Le Parlement européen a demandé la libération dans une résolution d'urgence."},
    "hunger-strike": {"en": "Began a hunger strike in protest at the conditions of detention.",
                      "ru": "Объявлена голодовка в знак протеста против условий содержания.",
                      "az": "Saxlanma şəraitinə etiraz olaraq aclıq aksiyasına başladı.",
                      "fr": "Début d'une grève de la faim pour protester contre les conditions de "
                            "détention."},
    "ill-treatment": {"en": "Lawyer reported bruises after an interrogation without counsel present.",
                      "ru": "Адвокат сообщил о синяках после допроса без участия защитника.",
                      "az": "Vəkil müdafiəçinin iştirakı olmadan aparılan dindirmədən sonra göyərmələr "
                            "olduğunu bildirdi.",
                      "fr": "L'avocat a constaté des ecchymoses après un interrogatoire sans avocat."},
    "travel-ban": {"en": "Barred from leaving the country at Heydar Aliyev International Airport.",
                   "ru": "Запрет на выезд: не выпустили из страны в аэропорту имени Гейдара Алиева.",
                   "az": "Heydər Əliyev Beynəlxalq Hava Limanında ölkədən çıxışına icazə verilmədi.",
                   "fr": "Interdiction de quitter le pays signifiée à l'aéroport international Heydar "
                         "Aliyev."},
    "release": {"en": "Released after the sentence was converted into a suspended sentence.",
                "ru": "Освобождение после замены наказания условным сроком.",
                "az": "Cəza şərti cəza ilə əvəz edildikdən sonra azad edildi.",
                "fr": "Libération après la conversion de la peine en peine avec sursis."},
    "pardon": {"en": "Released under a presidential pardon decree.",
               "ru": "Освобождение по указу президента о помиловании.",
               "az": "Prezidentin əfv fərmanı ilə azad edildi.",
               "fr": "Libération à la suite d'un décret de grâce présidentielle."},
    "other": {"en": "Statement by partner organisations calling the case politically motivated.",
              "ru": "Заявление партнёрских организаций, назвавших дело политически мотивированным.",
              "az": "Tərəfdaş təşkilatlar işi siyasi motivli adlandıran bəyanat yaydı.",
              "fr": "Déclaration des organisations partenaires qualifiant l'affaire de politique."},
}  # fmt: skip
VIOLATION_TEXT = [
    {"en": "Pre-trial detention ordered without reasons and extended repeatedly.",
     "ru": "Арест без обоснования и неоднократное продление срока содержания под стражей.",
     "az": "Əsaslandırılmadan seçilmiş və dəfələrlə uzadılmış həbs qətimkan tədbiri.",
     "fr": "Détention provisoire ordonnée sans motivation et prolongée à plusieurs reprises."},
    {"en": "Conviction based on testimony obtained under pressure; defence witnesses not heard.",
     "ru": "Приговор основан на показаниях, полученных под давлением; свидетели защиты не допрошены.",
     "az": "Hökm təzyiq altında alınmış ifadələrə əsaslanır; müdafiə şahidləri dinlənilməyib.",
     "fr": "Condamnation fondée sur des témoignages obtenus sous la pression ; témoins de la défense "
           "non entendus."},
    {"en": "Prosecution for publishing reports critical of the government.",
     "ru": "Преследование за публикацию докладов с критикой правительства.",
     "az": "Hökuməti tənqid edən hesabatların dərc edilməsinə görə təqib.",
     "fr": "Poursuites pour la publication de rapports critiques envers le gouvernement."},
    {"en": "Refusal to register the organisation and freezing of its bank accounts.",
     "ru": "Отказ в регистрации организации и замораживание её банковских счетов.",
     "az": "Təşkilatın qeydiyyatından imtina və bank hesablarının dondurulması.",
     "fr": "Refus d'enregistrer l'organisation et gel de ses comptes bancaires."},
    {"en": "Restriction of liberty applied for purposes other than those prescribed.",
     "ru": "Ограничение свободы, применённое в иных целях, чем предусмотрено законом.",
     "az": "Azadlığın qanunla nəzərdə tutulmayan məqsədlərlə məhdudlaşdırılması.",
     "fr": "Restriction de liberté appliquée à des fins autres que celles prévues."},
]  # fmt: skip
PROCEEDING_TEXT = {
    "en": "Application communicated to the Government, which has been asked to reply.",
    "ru": "Жалоба коммуницирована правительству, которому предложено представить ответ.",
    "az": "Şikayət cavab verilməsi üçün hökumətə göndərilib.",
    "fr": "Requête communiquée au Gouvernement, invité à répondre.",
}
NOTE_TEXT = {
    "en": "The family asked us not to publicise the prison transfer until the lawyer has visited.",
    "ru": "Семья просила не сообщать о переводе в другую колонию до визита адвоката.",
    "az": "Ailə vəkil görüşənə qədər həbsxanaya köçürülmə barədə məlumat yaymamağı xahiş edib.",
    "fr": "La famille nous a demandé de ne pas rendre public le transfert avant la visite de l'avocat.",
}
POINTS = [
    {"en": "Described how pre-trial detention is used to silence critics.",
     "ru": "Рассказал(а), как досудебное содержание под стражей используется против критиков.",
     "az": "Həbs qətimkan tədbirinin tənqidçiləri susdurmaq üçün necə istifadə edildiyini izah etdi.",
     "fr": "A décrit comment la détention provisoire sert à faire taire les critiques."},
    {"en": "Called for **conditionality** in the negotiation of the new partnership agreement.",
     "ru": "Призвал(а) к **обусловленности** на переговорах о новом соглашении о партнёрстве.",
     "az": "Yeni tərəfdaşlıq sazişi danışıqlarında **şərtiliyə** çağırdı.",
     "fr": "A appelé à la **conditionnalité** dans la négociation du nouvel accord de partenariat."},
    {"en": "Presented the findings of the report on the abuse of the criminal justice system.",
     "ru": "Представил(а) выводы доклада о злоупотреблении системой уголовного правосудия.",
     "az": "Cinayət ədliyyəsi sistemindən sui-istifadə haqqında hesabatın nəticələrini təqdim etdi.",
     "fr": "A présenté les conclusions du rapport sur le détournement de la justice pénale."},
    {"en": "Urged the EU to raise individual cases at every high-level meeting.",
     "ru": "Призвал(а) ЕС поднимать конкретные дела на каждой встрече высокого уровня.",
     "az": "AB-ni hər yüksək səviyyəli görüşdə fərdi işləri qaldırmağa çağırdı.",
     "fr": "A exhorté l'UE à évoquer les cas individuels à chaque réunion de haut niveau."},
    {"en": "Stressed that economic difficulties give the EU leverage it should use.",
     "ru": "Подчеркнул(а), что экономические трудности дают ЕС рычаги влияния, которыми следует "
           "воспользоваться.",
     "az": "İqtisadi çətinliklərin AB-yə istifadə etməli olduğu təsir imkanları verdiyini vurğuladı.",
     "fr": "A souligné que les difficultés économiques donnent à l'UE un levier qu'elle devrait utiliser."},
]  # fmt: skip
RECOMMENDATIONS = [
    {"en": "Call for the immediate and unconditional release of {name}.",
     "ru": "Призвать к немедленному и безусловному освобождению: {name}.",
     "az": "{name} dərhal və qeyd-şərtsiz azad edilməsinə çağırmaq.",
     "fr": "Demander la libération immédiate et inconditionnelle de {name}."},
    {"en": "Make progress on the partnership agreement conditional on the release of political prisoners.",
     "ru": "Поставить прогресс в переговорах о соглашении о партнёрстве в зависимость от освобождения "
           "политзаключённых.",
     "az": "Tərəfdaşlıq sazişində irəliləyişi siyasi məhbusların azad edilməsi şərtinə bağlamaq.",
     "fr": "Subordonner les progrès de l'accord de partenariat à la libération des prisonniers politiques."},
    {"en": "Send diplomats to observe the trials of human rights defenders and report on them.",
     "ru": "Направлять дипломатов для наблюдения за процессами над правозащитниками и отчитываться о них.",
     "az": "Hüquq müdafiəçilərinin məhkəmə proseslərini müşahidə etmək üçün diplomatlar göndərmək.",
     "fr": "Envoyer des diplomates observer les procès des défenseurs des droits humains."},
    {"en": "Support the independent media and civil society organisations forced into exile.",
     "ru": "Поддерживать независимые СМИ и организации гражданского общества, вынужденные работать в "
           "эмиграции.",
     "az": "Mühacirətə məcbur edilmiş müstəqil mediaya və vətəndaş cəmiyyəti təşkilatlarına dəstək olmaq.",
     "fr": "Soutenir les médias indépendants et les organisations de la société civile contraints à l'exil."},
    {"en": "Ask the authorities to repeal the amendments restricting foreign grants to NGOs.",
     "ru": "Потребовать отмены поправок, ограничивающих иностранные гранты для НПО.",
     "az": "QHT-lərə xarici qrantları məhdudlaşdıran dəyişikliklərin ləğvini tələb etmək.",
     "fr": "Demander l'abrogation des amendements restreignant les subventions étrangères aux ONG."},
]  # fmt: skip
KEY_MESSAGES = [
    {"en": "Since 2014 the authorities have imprisoned dozens of **human rights defenders**, journalists "
           "and critics.",
     "ru": "С 2014 года власти заключили под стражу десятки **правозащитников**, журналистов и критиков.",
     "az": "2014-cü ildən hakimiyyət onlarla **hüquq müdafiəçisini**, jurnalisti və tənqidçini həbs edib.",
     "fr": "Depuis 2014, les autorités ont emprisonné des dizaines de **défenseurs des droits humains**, "
           "journalistes et critiques."},
    {"en": "The criminal justice system is used against civil society: the cases below show the same "
           "pattern of charges.",
     "ru": "Уголовное правосудие используется против гражданского общества: дела ниже следуют одной схеме.",
     "az": "Cinayət ədliyyəsi vətəndaş cəmiyyətinə qarşı istifadə olunur: aşağıdakı işlər eyni sxemi "
           "göstərir.",
     "fr": "La justice pénale est utilisée contre la société civile : les affaires ci-dessous suivent le "
           "même schéma."},
    {"en": "The EU should make its relations conditional on the release of political prisoners.",
     "ru": "ЕС следует поставить отношения в зависимость от освобождения политзаключённых.",
     "az": "AB münasibətlərini siyasi məhbusların azad edilməsi şərtinə bağlamalıdır.",
     "fr": "L'UE devrait subordonner ses relations à la libération des prisonniers politiques."},
]  # fmt: skip
TEXTS = {
    "dossier_title": {"en": "Political prisoners: case dossier", "ru": "Политзаключённые: досье по делам",
                      "az": "Siyasi məhbuslar: işlər üzrə dosye",
                      "fr": "Prisonniers politiques : dossier des affaires"},
    "brief_title": {"en": "Justice under pressure: briefing for decision-makers",
                    "ru": "Правосудие под давлением: записка для лиц, принимающих решения",
                    "az": "Təzyiq altında ədalət: qərar qəbul edənlər üçün arayış",
                    "fr": "La justice sous pression : note pour les décideurs"},
    "event_title": {"en": "Justice under pressure: expert discussion",
                    "ru": "Правосудие под давлением: экспертная дискуссия",
                    "az": "Təzyiq altında ədalət: ekspert müzakirəsi",
                    "fr": "La justice sous pression : discussion d'experts"},
    "subtitle": {"en": "Synthetic benchmark content: every person and case is fictional",
                 "ru": "Синтетические данные для замеров: все люди и дела вымышлены",
                 "az": "Ölçmə üçün sintetik məzmun: bütün şəxslər və işlər uydurmadır",
                 "fr": "Contenu synthétique de mesure : personnes et affaires fictives"},
    "intro": {"en": "This dossier gathers the cases documented by our partners [@{source}, p. 3]. Each case "
                    "shows the charges, the sentence, a timeline and the violations found.\n\nThe "
                    "content is generated for benchmarks; it describes no real person.",
              "ru": "Это досье объединяет дела, задокументированные нашими партнёрами [@{source}, p. 3]. "
                    "Для каждого дела указаны обвинения, приговор, хронология и выявленные нарушения."
                    "\n\nСодержание создано для замеров и не описывает реальных людей.",
              "az": "Bu dosye tərəfdaşlarımızın sənədləşdirdiyi işləri toplayır [@{source}, p. 3]. Hər iş "
                    "üzrə ittihamlar, hökm, xronologiya və aşkar edilmiş pozuntular göstərilir.\n\nMəzmun "
                    "ölçmələr üçün yaradılıb və real şəxsləri təsvir etmir.",
              "fr": "Ce dossier rassemble les affaires documentées par nos partenaires [@{source}, p. 3]. "
                    "Chaque affaire présente les charges, la peine, une chronologie et les violations."
                    "\n\nLe contenu est généré pour des mesures ; il ne décrit aucune personne réelle."},
    "letter": {"en": "We write to you, {{recipient.name}}, as {{recipient.title}}, about the cases in the "
                     "enclosed brief, *{{brief.title}}* [@{source}, p. 2].\n\nWe ask the "
                     "{{recipient.organisation}} to raise them with the authorities.",
               "ru": "Обращаемся к вам, {{recipient.name}} ({{recipient.title}}), в связи с делами из "
                     "прилагаемой записки «{{brief.title}}» [@{source}, с. 2].\n\nПросим "
                     "{{recipient.organisation}} поднять их перед властями.",
               "az": "Sizə, {{recipient.name}} ({{recipient.title}}), əlavə olunan «{{brief.title}}» "
                     "sənədindəki işlərlə bağlı müraciət edirik [@{source}, p. 2].",
               "fr": "Nous vous écrivons, {{recipient.name}}, en tant que {{recipient.title}}, au sujet des "
                     "affaires de la note jointe, *{{brief.title}}* [@{source}, p. 2]."},
    "covering_note": {"en": "We would welcome the chance to discuss these cases with you before the "
                            "committee meets.",
                      "ru": "Будем рады обсудить с вами эти дела до заседания комитета.",
                      "az": "Komitənin iclasından əvvəl bu işləri sizinlə müzakirə etməkdən məmnun olarıq.",
                      "fr": "Nous serions heureux d'évoquer ces affaires avec vous avant la réunion de la "
                            "commission."},
    "event_summary": {"en": "Speakers discussed the abuse of the criminal justice system against civil "
                            "society and what the EU can do [@{source}].",
                      "ru": "Выступавшие обсудили злоупотребление уголовным правосудием против "
                            "гражданского общества и возможные действия ЕС [@{source}].",
                      "az": "Çıxış edənlər cinayət ədliyyəsindən vətəndaş cəmiyyətinə qarşı sui-istifadəni "
                            "və AB-nin edə biləcəklərini müzakirə etdilər [@{source}].",
                      "fr": "Les intervenants ont discuté du détournement de la justice pénale contre la "
                            "société civile et de ce que l'UE peut faire [@{source}]."},
    "event_type": {"en": "expert discussion", "ru": "экспертная дискуссия", "az": "ekspert müzakirəsi",
                   "fr": "discussion d'experts"},
    "event_location": {"en": "European Parliament, Brussels", "ru": "Европейский парламент, Брюссель",
                       "az": "Avropa Parlamenti, Brüssel", "fr": "Parlement européen, Bruxelles"},
    "mep": {"en": "Member of the European Parliament", "ru": "Депутат Европейского парламента",
            "az": "Avropa Parlamentinin üzvü", "fr": "Membre du Parlement européen"},
    "lawyer": {"en": "Defence lawyer", "ru": "Адвокат защиты", "az": "Müdafiə vəkili",
               "fr": "Avocat de la défense"},
    "director": {"en": "Director", "ru": "Директор", "az": "Direktor", "fr": "Directeur"},
    "researcher": {"en": "Researcher", "ru": "Исследователь", "az": "Tədqiqatçı", "fr": "Chercheur"},
    "source_title": {"en": "{topic_cap}: report no. {n}", "ru": "Доклад № {n}: {topic}",
                     "az": "{n} saylı hesabat: {topic}", "fr": "Rapport n° {n} : {topic}"},
    "partners": {"en": "Partner organisations", "ru": "Партнёрские организации",
                 "az": "Tərəfdaş təşkilatlar", "fr": "Organisations partenaires"},
    "eu": {"en": "EU decision-makers", "ru": "Лица, принимающие решения в ЕС",
           "az": "AB-də qərar qəbul edənlər", "fr": "Décideurs de l'UE"},
}  # fmt: skip
ORGANISATIONS = [
    ("caucasus-rights-centre", "ngo", {"en": "Caucasus Rights Centre", "ru": "Кавказский правозащитный центр",
                                       "az": "Qafqaz Hüquq Mərkəzi", "fr": "Centre des droits du Caucase"},
     "CRC"),
    ("european-parliament", "eu-institution", {"en": "European Parliament", "ru": "Европейский парламент",
                                               "az": "Avropa Parlamenti", "fr": "Parlement européen"}, "EP"),
    ("council-of-the-eu", "eu-institution", {"en": "Council of the EU", "ru": "Совет ЕС",
                                             "az": "AB Şurası", "fr": "Conseil de l'UE"}, None),
    ("european-commission", "eu-institution", {"en": "European Commission", "ru": "Европейская комиссия",
                                               "az": "Avropa Komissiyası", "fr": "Commission européenne"},
     None),
    ("eeas", "eu-institution", {"en": "European External Action Service",
                                "ru": "Европейская служба внешних связей",
                                "az": "Avropa Xarici Fəaliyyət Xidməti",
                                "fr": "Service européen pour l'action extérieure"}, "EEAS"),
    ("baku-law-clinic", "ngo", {"en": "Bakı Law Clinic", "ru": "Бакинская юридическая клиника",
                                "az": "Bakı Hüquq Klinikası", "fr": "Clinique juridique de Bakou"}, None),
    ("xezer-xeber", "media", {"en": "Xəzər Xəbər", "ru": "Хазар Хабер", "az": "Xəzər Xəbər",
                              "fr": "Xəzər Xəbər"}, None),
    ("kur-research-institute", "academic", {"en": "Kür Research Institute",
                                            "ru": "Исследовательский институт Кура",
                                            "az": "Kür Tədqiqat İnstitutu",
                                            "fr": "Institut de recherche de la Koura"}, None),
]  # fmt: skip
PUBLISHER = "caucasus-rights-centre"
ADDRESSEES = ["european-parliament", "council-of-the-eu", "european-commission", "eeas"]
SOURCE_PUBLISHERS = ["caucasus-rights-centre", "baku-law-clinic", "xezer-xeber", "kur-research-institute"]
SOURCE_TYPES = ["report", "report", "judgment", "article", "statement", "decision"]

_TRANSLIT = str.maketrans(
    {
        "ə": "a", "ı": "i", "ş": "sh", "ç": "ch", "ğ": "g", "ö": "o", "ü": "u", "ä": "a", "å": "a",
        "ø": "o", "é": "e", "á": "a", "í": "i", "ó": "o", "ú": "u", "ñ": "n", "ł": "l", "ś": "s",
        "ż": "z", "ź": "z", "ę": "e", "ą": "a", "ř": "r", "ě": "e", "č": "c", "ž": "z", "š": "s",
        "ī": "i", "ā": "a", "ū": "u", "ė": "e", "ņ": "n", "ë": "e",
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
        "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
        "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
        "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "'": "",
    }
)  # fmt: skip


def slugify(text: str) -> str:
    text = text.lower().replace("i̇", "i").translate(_TRANSLIT)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


# ---------------------------------------------------------------- the project


@dataclass
class Person:
    id: str
    first: tuple[str, str]
    last: tuple[str, str]
    female: bool

    def name(self, lang: str) -> str:
        if lang == "ru":
            return f"{self.first[1]} {self.last[1]}{'а' if self.female and self.last[1][-1] != 'а' else ''}"
        return f"{self.first[0]} {self.last[0]}{'a' if self.female else ''}"


@dataclass
class GeneratedProject:
    root: Path
    case_ids: list[str] = field(default_factory=list)
    recipient_ids: list[str] = field(default_factory=list)
    source_ids: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    briefs: tuple[str, ...] = BRIEFS
    recipients: list[dict] = field(default_factory=list)  # as written to content/recipients.yaml


class _Generator:
    def __init__(self, languages: list[str], seed: int):
        self.languages = languages
        self.rng = random.Random(seed)
        self.used_ids: set[str] = set()
        self.people: list[Person] = []
        self.used_names: set[tuple[str, str]] = set()
        self.author_names: set[str] = set()

    # -- helpers

    def unique_id(self, base: str) -> str:
        base = slugify(base)[:56].strip("-") or "item"
        candidate, n = base, 2
        while candidate in self.used_ids:
            candidate, n = f"{base}-{n}", n + 1
        self.used_ids.add(candidate)
        return candidate

    def loc(self, make) -> Any:
        """A localized value: plain text for one language, else {lang: text} for each."""
        if len(self.languages) == 1:
            return make(self.languages[0])
        return {lang: make(lang) for lang in self.languages}

    def person(self) -> Person:
        for _ in range(50):
            female = self.rng.random() < 0.4
            first = self.rng.choice(FEMALE_FIRST if female else MALE_FIRST)
            last = self.rng.choice(SURNAMES)
            if (first[0], last[0]) not in self.used_names:
                break
        self.used_names.add((first[0], last[0]))
        person = Person("", first, last, female)
        person.id = self.unique_id(person.name("az"))
        self.people.append(person)
        return person

    def fill(self, template: dict, lang: str, person: Person | None = None, **values: Any) -> str:
        if person is not None:
            values.setdefault("name", person.name(lang))
            values.setdefault("ga", "а" if person.female else "")
            values.setdefault("ge", "e" if person.female else "")
        return template[lang].format(**values)

    @staticmethod
    def cite(sentence: str, source_id: str, page: int) -> str:
        body = sentence.rstrip()
        end = body[-1] if body[-1] in ".!?" else ""
        return f"{body[: len(body) - len(end)]} [@{source_id}, p. {page}]{end or '.'}"

    # -- collections

    def sources(self, count: int) -> list[dict]:
        items = []
        for n in range(1, count + 1):
            topic = self.rng.choice(TOPICS)
            kind = SOURCE_TYPES[(n - 1) % len(SOURCE_TYPES)]
            year = self.rng.choice([2013, 2014, 2015, 2016])
            item: dict[str, Any] = {
                "id": self.unique_id(f"{kind}-{year}-{n}"),
                "title": self.loc(
                    lambda lang, topic=topic, n=n: TEXTS["source_title"][lang].format(
                        topic=topic[lang], topic_cap=topic["en"][0].upper() + topic["en"][1:], n=n
                    )
                ),
                "type": kind,
                "publisher": SOURCE_PUBLISHERS[(n - 1) % len(SOURCE_PUBLISHERS)],
                "authors": self.authors_of_source(self.rng.randint(1, 2)),
                "date": f"{year}-{self.rng.randint(1, 12):02d}",
                "url": f"https://example.org/{kind}s/{year}/{n}",
                "accessed": "2016-06-01",
            }
            items.append(item)
        return items

    def authors_of_source(self, count: int) -> list[str]:
        authors = [self.person_name_plain() for _ in range(count)]
        self.author_names.update(authors)
        return authors

    def contact_name(self) -> str:
        """A case contact's name (confidential) that no source author bears: a source listing
        a namesake of a confidential contact would print the name, which briefgen warns of.
        Told apart by an initial rather than by another draw, so the rest of the project
        stays as the seed made it."""
        name = self.person_name_plain()
        if name in self.author_names:
            first, last = name.split(" ", 1)
            name = f"{first} {'ABDEKMNRST'[len(name) % 10]}. {last}"
        return name

    def person_name_plain(self) -> str:
        female = self.rng.random() < 0.5
        first = self.rng.choice(FEMALE_FIRST if female else MALE_FIRST)[0]
        return f"{first} {self.rng.choice(SURNAMES)[0]}{'a' if female else ''}"

    def case(self, timeline_per_case: int, citations: int, source_ids: list[str]) -> tuple[dict, list]:
        rng = self.rng
        subjects = [self.person()]
        if rng.random() < 0.12:
            subjects.append(self.person())
        main = subjects[0]
        status = rng.choice(
            ["imprisoned"] * 5 + ["detained", "house-arrest", "travel-ban", "released", "pardoned", "exiled"]
        )
        city = rng.choice(CITIES)
        court = rng.choice(COURTS)
        profession = rng.choice(PROFESSIONS)
        topic = rng.choice(TOPICS)
        years = rng.randint(3, 12)
        start = date(2012, 1, 1) + timedelta(days=rng.randint(0, 900))
        sentence_years = rng.randint(3, 9)
        rng_n = rng.choice([2, 3, 4])
        types = _timeline_types(timeline_per_case, status, rng)
        span = max(30, (AS_OF - timedelta(days=20) - start).days)
        days = [
            start + timedelta(days=int(span * i / max(1, len(types))) + rng.randint(0, 5))
            for i in range(len(types))
        ]
        arrested = days[types.index("arrest")] if "arrest" in types else start
        sentenced = days[types.index("verdict")] if "verdict" in types else start + timedelta(days=span // 2)

        def sentence_values(lang: str) -> dict:
            return {
                "city": city[lang],
                "court": court[lang],
                "profession": profession[lang],
                "topic": topic[lang],
                "years": years,
                "month": MONTHS[lang][arrested.month - 1],
                "year": arrested.year,
                "n": rng_n,
                "sentence_years": sentence_years,
            }

        opening = rng.choice(SUMMARY_OPENINGS)
        middle = rng.sample(SUMMARY_MIDDLE, k=rng.randint(2, 3))
        closing = rng.choice(SUMMARY_CLOSINGS)

        # Citations: the first in the summary, the rest over timeline entries (several per entry
        # when there are more citations than entries).
        cited = [(rng.choice(source_ids), rng.randint(1, 180)) for _ in range(citations)]
        summary_cites = cited[:1]
        entry_cites: dict[int, list] = {}
        for cite in cited[1:]:
            entry_cites.setdefault(rng.randrange(max(1, timeline_per_case)), []).append(cite)

        def summary(lang: str) -> str:
            v = sentence_values(lang)
            first = [self.fill(opening, lang, main, **v), self.fill(middle[0], lang, main, **v)]
            for source_id, page in summary_cites:
                first[-1] = self.cite(first[-1], source_id, page)
            second = [self.fill(s, lang, main, **v) for s in middle[1:]] + [
                self.fill(closing, lang, main, **v)
            ]
            return " ".join(first) + "\n\n" + " ".join(second)

        timeline = []
        for index, (kind, day) in enumerate(zip(types, days, strict=True)):
            entry: dict[str, Any] = {"date": day.isoformat() if rng.random() > 0.1 else day.isoformat()[:7]}
            entry["type"] = kind

            def text(lang: str, kind=kind, index=index) -> str:
                sentence = self.fill(TIMELINE_TEXT[kind], lang, main, **sentence_values(lang))
                for source_id, page in entry_cites.get(index, []):
                    sentence = self.cite(sentence, source_id, page)
                return sentence

            entry["text"] = self.loc(text)
            if rng.random() < 0.15:
                entry["source"] = rng.choice(source_ids)
            if rng.random() < 0.05:
                entry["sensitivity"] = "internal"
            timeline.append(entry)
        # Files are not always in date order; briefgen shows timelines sorted.
        for i in range(0, len(timeline) - 1, 7):
            timeline[i], timeline[i + 1] = timeline[i + 1], timeline[i]

        case_id = self.unique_id(f"{main.name('az')}-case")
        item: dict[str, Any] = {
            "id": case_id,
            "subjects": [p.id for p in subjects],
            "status": status,
            "status_date": AS_OF.isoformat(),
            "summary": self.loc(summary),
            "charges": [
                {"article": article, "description": self.loc(lambda lang, d=description: d[lang])}
                for article, description in rng.sample(CHARGES, k=rng.randint(1, 3))
            ],
        }
        if status in ("imprisoned", "released", "pardoned", "house-arrest"):
            item["sentence"] = {
                "years": sentence_years,
                "months": rng.choice([0, 0, 3, 6]),
                "date": sentenced.isoformat(),
                "court": court["en"],
                **({"suspended": True} if status == "released" else {}),
            }
        item["timeline"] = timeline
        item["violations"] = [
            {"right": right, "text": self.loc(lambda lang, t=text: t[lang])}
            for right, text in zip(rng.sample(RIGHTS, k=2), rng.sample(VIOLATION_TEXT, k=2), strict=True)
        ][: rng.randint(1, 2)]
        if rng.random() < 0.5:
            number = rng.randint(10000, 99999)
            item["proceedings"] = [
                {
                    "body": "ECtHR",
                    "reference": f"Application no. {number}/{start.year % 100:02d}",
                    "date": (start + timedelta(days=300)).isoformat(),
                    "status": "communicated",
                    "text": self.loc(lambda lang: PROCEEDING_TEXT[lang]),
                    "url": f"https://hudoc.echr.coe.int/eng?i=001-{number}",
                }
            ]
        item["sources"] = sorted({s for s, _ in cited} | {rng.choice(source_ids)})
        if rng.random() < 0.3:
            item["notes"] = [{"text": self.loc(lambda lang: NOTE_TEXT[lang])}]
        if rng.random() < 0.2:
            lawyer = self.contact_name()
            item["contacts"] = [
                {
                    "name": lawyer,
                    "role": "lawyer",
                    "phone": f"+994 50 {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                    "email": f"{slugify(lawyer).replace('-', '.')}@example.org",
                }
            ]
        return item, subjects

    def recipients(self, count: int) -> list[dict]:
        items = []
        others = len(self.languages) - 1
        weights = [0.75] + [0.25 / others] * others if others else [1.0]
        for _ in range(count):
            first, gender = self.rng.choice(MEP_FIRST)
            cyrillic = first[0] in "МГР"  # Cyrillic first names go with Cyrillic surnames
            last = self.rng.choice([s for s in MEP_SURNAMES if (s[0] in "ПИД") == cyrillic])
            if cyrillic:
                if gender == "m" and last.endswith("а"):
                    last = last[:-1]
                elif gender == "f" and not last.endswith("а"):
                    last += "а"
            name = f"{first} {last}"
            language = self.rng.choices(self.languages, weights=weights)[0]
            salutation = {
                "en": f"Dear {'Ms' if gender == 'f' else 'Mr'} {last},",
                "ru": f"{'Уважаемая госпожа' if gender == 'f' else 'Уважаемый господин'} {last}!",
                "az": f"Hörmətli {'xanım' if gender == 'f' else 'cənab'} {last},",
                "fr": f"{'Madame' if gender == 'f' else 'Monsieur'} {last},",
            }
            items.append(
                {
                    "id": self.unique_id(name),
                    "name": name,
                    "title": self.loc(lambda lang: TEXTS["mep"][lang]),
                    "organisation": "european-parliament",
                    "salutation": self.loc(lambda lang, s=salutation: s[lang]),
                    "language": language,
                    "country": self.rng.choice(MEP_COUNTRIES),
                    "tags": ["meps"],
                }
            )
        return items


def _timeline_types(count: int, status: str, rng: random.Random) -> list[str]:
    opening = ["search", "arrest", "charge", "detention"]
    closing = {
        "released": ["verdict", "appeal", "release"],
        "pardoned": ["verdict", "appeal", "pardon"],
        "travel-ban": ["travel-ban", "other"],
        "exiled": ["travel-ban", "other"],
    }.get(status, ["verdict", "appeal", "international"])
    middle_pool = ["detention-extended", "trial", "trial", "other", "ill-treatment", "hunger-strike"]
    if count <= len(opening) + len(closing):
        return (opening[:1] + closing + opening[1:])[:count]
    middle = [rng.choice(middle_pool) for _ in range(count - len(opening) - len(closing))]
    return opening + middle + closing


def cases_for_pages(pages: int, timeline_per_case: int = 12) -> int:
    """A first guess of the cases that make a case dossier of `pages` pages (default theme).

    About four pages are not cases (cover, contents, introduction, recommendations and
    sources); a case takes a page and a half plus its timeline. Check the built PDF: the
    guess is for sizing, not a promise (benchmarks/run.py raises the count when short)."""
    per_case = 1.35 + 0.055 * timeline_per_case
    return max(1, math.ceil((pages - 4) / per_case))


def generate(
    target: Path,
    cases: int = 30,
    timeline_per_case: int = 12,
    citations: int = 4,
    recipients: int = 200,
    languages: list[str] | tuple[str, ...] = ("en",),
    seed: int = 0,
    sources: int | None = None,
) -> GeneratedProject:
    """Write a synthetic briefing project into `target` (created; files of an earlier run replaced)."""
    languages = list(dict.fromkeys(languages))
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown or not languages:
        raise ValueError(f"languages must be among {', '.join(LANGUAGES)}; got {languages}")
    if cases < 1:
        raise ValueError("a project needs at least one case")
    target = Path(target)
    gen = _Generator(languages, seed)
    for org_id, *_ in ORGANISATIONS:
        gen.used_ids.add(org_id)
    source_count = sources if sources is not None else max(4, min(200, (cases * max(1, citations)) // 3))
    source_items = gen.sources(source_count)
    source_ids = [s["id"] for s in source_items]

    case_items = []
    subjects_of: dict[str, list[Person]] = {}
    for _ in range(cases):
        item, subjects = gen.case(timeline_per_case, citations, source_ids)
        case_items.append(item)
        subjects_of[item["id"]] = subjects
    # Every source is cited or listed somewhere (an unused source is a validation warning).
    listed = {s for c in case_items for s in c["sources"]}
    for n, source_id in enumerate(s for s in source_ids if s not in listed):
        case_items[n % len(case_items)]["sources"] = sorted(
            {*case_items[n % len(case_items)]["sources"], source_id}
        )

    # People besides the subjects: speakers and experts, with affiliations.
    speakers = [gen.person() for _ in range(5)]
    roles = ["director", "lawyer", "researcher", "lawyer", "researcher"]
    orgs = [
        "caucasus-rights-centre",
        "baku-law-clinic",
        "kur-research-institute",
        "xezer-xeber",
        "baku-law-clinic",
    ]
    rng = gen.rng
    people_items = []
    for person in gen.people:
        entry: dict[str, Any] = {"id": person.id, "name": gen.loc(person.name)}
        if person in speakers:
            index = speakers.index(person)
            entry["affiliations"] = [
                {"organisation": orgs[index], "role": gen.loc(lambda lang, r=roles[index]: TEXTS[r][lang])}
            ]
        else:
            profession = rng.choice(PROFESSIONS)
            entry["affiliations"] = [
                {"organisation": rng.choice(["xezer-xeber", "baku-law-clinic", "caucasus-rights-centre"]),
                 "role": gen.loc(lambda lang, p=profession: p[lang][0].upper() + p[lang][1:])}
            ]  # fmt: skip
        people_items.append(entry)

    case_ids = [c["id"] for c in case_items]
    brief_cases = case_ids[:POLICY_BRIEF_CASES]
    recommendation_items = []
    for n, case_id in enumerate(brief_cases):
        subject = subjects_of[case_id][0]
        recommendation_items.append(
            {
                "id": gen.unique_id(f"release-{subject.name('az')}"),
                "text": gen.loc(lambda lang, s=subject: gen.fill(RECOMMENDATIONS[0], lang, s)),
                "addressees": [ADDRESSEES[n % len(ADDRESSEES)], "european-parliament"][: 1 + n % 2],
                "priority": "high" if n < 2 else "medium",
                "cases": [case_id],
            }
        )
    for n, template in enumerate(RECOMMENDATIONS[1:]):
        recommendation_items.append(
            {
                "id": gen.unique_id(f"recommendation-{n + 1}"),
                "text": gen.loc(lambda lang, t=template: t[lang]),
                "addressees": ADDRESSEES[n % len(ADDRESSEES) :][:2],
                "priority": ["high", "medium", "low"][n % 3],
                "made_by": [speakers[n % len(speakers)].id],
            }
        )
    event_id = "expert-discussion-2016"
    for rec in recommendation_items[len(brief_cases) :]:
        rec["made_at"] = event_id
    event = {
        "id": event_id,
        "title": gen.loc(lambda lang: TEXTS["event_title"][lang]),
        "type": gen.loc(lambda lang: TEXTS["event_type"][lang]),
        "date": "2016-06-15",
        "location": gen.loc(lambda lang: TEXTS["event_location"][lang]),
        "organisers": [PUBLISHER, "baku-law-clinic"],
        "moderator": speakers[0].id,
        "speakers": [
            {"person": p.id, "points": [gen.loc(lambda lang, t=t: t[lang]) for t in rng.sample(POINTS, k=2)]}
            for p in speakers[1:]
        ],
        "summary": gen.loc(lambda lang: TEXTS["event_summary"][lang].format(source=source_ids[0])),
        "cases": brief_cases,
        "publications": source_ids[:2],
        "recommendations": [r["id"] for r in recommendation_items],
    }

    organisation_items = []
    for org_id, kind, names, short in ORGANISATIONS:
        org: dict[str, Any] = {"id": org_id, "name": gen.loc(lambda lang, n=names: n[lang]), "kind": kind}
        if short:
            org["short_name"] = short
        org["country"] = "AZ" if kind in ("ngo", "media", "academic") else "BE"
        org["website"] = f"https://example.org/{org_id}"
        organisation_items.append(org)

    recipient_items = gen.recipients(recipients)
    settings = _settings(
        gen, languages, source_ids[0], brief_cases, bool(recipient_items), seed, people_items[0]["id"]
    )

    header = (
        "# Generated by benchmarks/generate.py (seed {seed}, {cases} cases, {timeline} timeline entries "
        "per case,\n# {citations} citations per case, {recipients} recipients, languages {languages}). "
        "Synthetic: every person,\n# organisation and case is fictional.\n"
    ).format(
        seed=seed,
        cases=cases,
        timeline=timeline_per_case,
        citations=citations,
        recipients=recipients,
        languages=", ".join(languages),
    )
    content = target / "content"
    content.mkdir(parents=True, exist_ok=True)
    for stale in content.rglob("*.yaml"):
        stale.unlink()
    files = {
        "briefgen.yaml": settings,
        "content/organisations.yaml": {"organisations": organisation_items},
        "content/people.yaml": {"people": people_items},
        "content/sources.yaml": {"sources": source_items},
        "content/event.yaml": {"events": [event], "recommendations": recommendation_items},
    }
    chunk = 20
    for start in range(0, len(case_items), chunk):
        files[f"content/cases/cases-{start // chunk + 1:03d}.yaml"] = {
            "cases": case_items[start : start + chunk]
        }
    if recipient_items:
        files[RECIPIENTS_FILE] = {"recipients": recipient_items}
    for relpath, data in files.items():
        write_yaml(target / relpath, data, header)
    return GeneratedProject(
        root=target,
        case_ids=case_ids,
        recipient_ids=[r["id"] for r in recipient_items],
        source_ids=source_ids,
        languages=languages,
        recipients=recipient_items,
    )


def _settings(
    gen: _Generator,
    languages: list[str],
    first_source: str,
    brief_cases: list[str],
    mailing: bool,
    seed: int,
    signatory: str,
) -> dict:
    loc = gen.loc
    policy_brief: dict[str, Any] = {
        "id": POLICY_BRIEF,
        "template": "policy-brief",
        "title": loc(lambda lang: TEXTS["brief_title"][lang]),
        "subtitle": loc(lambda lang: TEXTS["subtitle"][lang]),
        "audiences": ["eu-policymakers"],
        "languages": languages,
        "cases": brief_cases,
        "recommendations": "all",
        "key_messages": [loc(lambda lang, m=m: m[lang]) for m in KEY_MESSAGES],
        "intro": loc(lambda lang: TEXTS["intro"][lang].format(source=first_source)),
    }
    if mailing:
        policy_brief["recipients"] = "all"
        policy_brief["covering_note"] = loc(lambda lang: TEXTS["covering_note"][lang])
        # Each copy opens with a letter, laid out per copy like the cover (benchmark 4).
        policy_brief["letter"] = {
            "signatories": [signatory],
            "body": loc(lambda lang: TEXTS["letter"][lang].format(source=first_source)),
        }
    return {
        "name": f"Synthetic briefings (seed {seed})",
        "publisher": PUBLISHER,
        "language": languages[0],
        "theme": "default",
        "as_of": AS_OF.isoformat(),
        "audiences": [
            {
                "id": "eu-policymakers",
                "name": loc(lambda lang: TEXTS["eu"][lang]),
                "clearance": "public",
                "addressees": ["european-parliament", "council-of-the-eu"],
            },
            {"id": "partners", "name": loc(lambda lang: TEXTS["partners"][lang]), "clearance": "internal"},
        ],
        "briefs": [
            {
                "id": DOSSIER,
                "template": "case-dossier",
                "title": loc(lambda lang: TEXTS["dossier_title"][lang]),
                "subtitle": loc(lambda lang: TEXTS["subtitle"][lang]),
                "audiences": ["partners"],
                "languages": languages,
                "cases": "all",
                "recommendations": "all",
                "intro": loc(lambda lang: TEXTS["intro"][lang].format(source=first_source)),
            },
            policy_brief,
            {
                "id": EVENT_SUMMARY,
                "template": "event-summary",
                "event": "expert-discussion-2016",
                "audiences": ["eu-policymakers"],
                "languages": languages,
            },
        ],
    }


# ---------------------------------------------------------------- YAML


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):  # briefgen rejects anchors and aliases
        return True


def _str(dumper: yaml.SafeDumper, value: str):
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _str)


def write_yaml(path: Path, data: dict, header: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, indent=2)
    path.write_text(header + text, encoding="utf-8")


# ---------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.split("\n")[0])
    parser.add_argument("target", type=Path, help="folder to write the project into")
    parser.add_argument("--cases", type=int, default=30)
    parser.add_argument("--timeline-per-case", type=int, default=12)
    parser.add_argument("--citations", type=int, default=4, help="citations per case")
    parser.add_argument("--recipients", type=int, default=200)
    parser.add_argument("--sources", type=int, default=None)
    parser.add_argument("--languages", default="en", help="comma-separated, among en, ru, az, fr")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    project = generate(
        args.target,
        cases=args.cases,
        timeline_per_case=args.timeline_per_case,
        citations=args.citations,
        recipients=args.recipients,
        languages=[s.strip() for s in args.languages.split(",") if s.strip()],
        seed=args.seed,
        sources=args.sources,
    )
    print(
        f"{project.root}: {len(project.case_ids)} cases, {len(project.source_ids)} sources, "
        f"{len(project.recipient_ids)} recipients, languages {', '.join(project.languages)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
