"""Spanish for every English string the site shows (English text -> Spanish text).

Placeholders in braces stay as they are. The tests fail when a string in a template or in the code has no
entry here, or when an entry's placeholders differ from the English.
"""

ES: dict[str, str] = {
    # --- navigation and frame
    "287(g) agreements": "Acuerdos 287(g)",
    "Skip to content": "Ir al contenido",
    "Main": "Principal",
    "States": "Estados",
    "Agencies": "Agencias",
    "Changes": "Cambios",
    "Pending": "Pendientes",
    "Money": "Dinero",
    "Claims": "Afirmaciones",
    "Methodology": "Metodología",
    "Downloads": "Descargas",
    "API": "API",
    "Home": "Inicio",
    "Publications": "Publicaciones",
    "Breadcrumb": "Ruta de navegación",
    "Data version": "Versión de los datos",
    "This page as JSON": "Esta página en JSON",
    "Atom feed of changes": "Canal Atom de cambios",
    "Changes (Atom feed)": "Cambios (canal Atom)",
    "Atom feed": "Canal Atom",
    "The open record of ICE 287(g) agreements: every list ICE published, the history of every agency and agreement.": (
        "El registro abierto de los acuerdos 287(g) de ICE: cada lista que ICE publicó, la historia de cada agencia "
        "y de cada acuerdo."
    ),
    "track287g archives every list ICE publishes of its 287(g) agreements and rebuilds their history. Figures name "
    "the list they come from.": (
        "track287g archiva cada lista de acuerdos 287(g) que publica ICE y reconstruye su historia. Cada cifra indica "
        "la lista de la que proviene."
    ),
    # --- search and filters
    "Find an agency, a county or a state": "Busque una agencia, un condado o un estado",
    "e.g. Walker County Sheriff": "p. ej. Walker County Sheriff",
    "Search": "Buscar",
    "Any spelling ICE used works.": "Sirve cualquier grafía que haya usado ICE.",
    "No agency matches.": "Ninguna agencia coincide.",
    "Filter": "Filtrar",
    "Any": "Cualquiera",
    "Apply": "Aplicar",
    "Name contains": "El nombre contiene",
    "As of": "En la fecha",
    "State": "Estado",
    "Model": "Modelo",
    "Models": "Modelos",
    "Status": "Situación",
    "Agency type": "Tipo de agencia",
    "Kind": "Clase",
    "Since": "Desde",
    "List": "Lista",
    "Change": "Cambio",
    "Pages": "Páginas",
    "Previous": "Anterior",
    "Next": "Siguiente",
    "Page {page} of {pages}": "Página {page} de {pages}",
    # --- home
    "ICE 287(g) agreements, list by list": "Los acuerdos 287(g) de ICE, lista por lista",
    "Under Section 287(g), ICE deputizes state and local police. ICE publishes who takes part and overwrites the "
    "list every few days; this site keeps every version and the history of every agency.": (
        "Bajo la Sección 287(g), ICE delega funciones migratorias en policías estatales y locales. ICE publica quién "
        "participa y sobrescribe la lista cada pocos días; este sitio guarda cada versión y la historia de cada "
        "agencia."
    ),
    "Now": "Ahora",
    "On {date}": "El {date}",
    "agencies": "agencias",
    "agreements": "acuerdos",
    "held": "tenían",
    "on ICE's list published {date}": "en la lista de ICE publicada el {date}",
    "At the start of 2025: {agencies} agencies held {agreements} agreements (list published {date}).": (
        "A comienzos de 2025: {agencies} agencias tenían {agreements} acuerdos (lista publicada el {date})."
    ),
    "Agreements and agencies by support model": "Acuerdos y agencias por modelo de colaboración",
    "Start of 2025": "Comienzo de 2025",
    "All models": "Todos los modelos",
    "Source: ICE's {kind} list published {date}": "Fuente: lista {kind} de ICE publicada el {date}",
    "Pending: {n} applications on the pending list published {date}.": (
        "Pendientes: {n} solicitudes en la lista de pendientes publicada el {date}."
    ),
    "See the pending list": "Ver la lista de pendientes",
    "Show the record as of a date": "Mostrar el registro en una fecha",
    "Show": "Mostrar",
    "Counties with 287(g) agencies": "Condados con agencias 287(g)",
    "Map of counties with 287(g) agencies": "Mapa de los condados con agencias 287(g)",
    "Map of {state}'s counties with 287(g) agencies": "Mapa de los condados de {state} con agencias 287(g)",
    "Counties shaded by the number of agencies with agreements there; select a state to open its page. Alaska and "
    "Hawaii are shown below the lower 48.": (
        "Condados sombreados según el número de agencias con acuerdos; elija un estado para abrir su página. Alaska y "
        "Hawái aparecen debajo de los 48 estados contiguos."
    ),
    "Counties shaded by the number of agencies with agreements there.": (
        "Condados sombreados según el número de agencias con acuerdos."
    ),
    "{n} agencies (state agencies, and lists without a COUNTY column) are not placed on the map.": (
        "{n} agencias (agencias estatales y listas sin columna COUNTY) no se sitúan en el mapa."
    ),
    "{n} agency (a state agency, or on a list without a COUNTY column) is not placed on the map.": (
        "{n} agencia (una agencia estatal, o en una lista sin columna COUNTY) no se sitúa en el mapa."
    ),
    "{county}: {n} agencies with agreements": "{county}: {n} agencias con acuerdos",
    "{county}: {n} agency with agreements": "{county}: {n} agencia con acuerdos",
    "{n} agency": "{n} agencia",
    "{n} agencies": "{n} agencias",
    "1 agency": "1 agencia",
    "2–3 agencies": "2–3 agencias",
    "4–7 agencies": "4–7 agencias",
    "8 or more agencies": "8 agencias o más",
    "Agreements over time": "Acuerdos a lo largo del tiempo",
    "287(g) agreements on each of ICE's lists": "Acuerdos 287(g) en cada lista de ICE",
    "287(g) agreements in {state} on each of ICE's lists": "Acuerdos 287(g) en {state} en cada lista de ICE",
    "Agreements on each participating list ICE published. Lists before February 2025 come from archived copies of "
    "ICE's web page.": (
        "Acuerdos en cada lista de participantes que publicó ICE. Las listas anteriores a febrero de 2025 provienen de "
        "copias archivadas de la página web de ICE."
    ),
    "All agreements": "Todos los acuerdos",
    "{model} agreements": "Acuerdos {model}",
    "The numbers behind the chart": "Las cifras del gráfico",
    "List published": "Lista publicada",
    "Agreements": "Acuerdos",
    "Latest changes": "Últimos cambios",
    "ICE's {kind} list published {date}": "Lista {kind} de ICE publicada el {date}",
    "{n} more changes": "{n} cambios más",
    "All changes": "Todos los cambios",
    "By state": "Por estado",
    "Agencies and agreements per state, now and at the start of 2025": (
        "Agencias y acuerdos por estado, ahora y a comienzos de 2025"
    ),
    "Agreements, start of 2025": "Acuerdos, comienzo de 2025",
    "Every state, DC and territory": "Todos los estados, DC y territorios",
    # --- states
    "States and territories": "Estados y territorios",
    "territory": "territorio",
    "287(g) in {state}": "287(g) en {state}",
    "No agency in {state} is on ICE's list published {date}.": (
        "Ninguna agencia de {state} figura en la lista de ICE publicada el {date}."
    ),
    "Counties": "Condados",
    "Agencies on the list": "Agencias en la lista",
    "Agency": "Agencia",
    "County": "Condado",
    "First listed": "Primera vez en la lista",
    "Last listed": "Última vez en la lista",
    "None.": "Ninguno.",
    "Other agencies in the record (removed, pending or withdrawn)": (
        "Otras agencias del registro (retiradas, pendientes o desistidas)"
    ),
    "Latest changes in {state}": "Últimos cambios en {state}",
    "All changes in {state}": "Todos los cambios en {state}",
    # --- agencies and one agency
    "{n} agencies match.": "{n} agencias coinciden.",
    "{n} agency matches.": "{n} agencia coincide.",
    "also printed as": "también escrita como",
    "Listed": "En la lista",
    "{first} to {last}": "del {first} al {last}",
    "Record id": "Identificador",
    "ICE's TYPE": "TYPE de ICE",
    "Signed": "Firmado",
    "Documents": "Documentos",
    "not printed": "no consta",
    "removed between {a} and {b}": "retirado entre el {a} y el {b}",
    "superseded by": "sustituido por",
    "MOA": "Memorando (MOA)",
    "no MOA link": "sin enlace al MOA",
    "Addendum": "Adenda",
    "Corrections": "Correcciones",
    "rule": "regla",
    "MOA and addendum links point to ice.gov, as ICE printed them; they leave this site.": (
        "Los enlaces al memorando y a la adenda apuntan a ice.gov, tal como los imprimió ICE; salen de este sitio."
    ),
    "No agreement on any participating list.": "Ningún acuerdo en ninguna lista de participantes.",
    "Applications on the pending list": "Solicitudes en la lista de pendientes",
    "listed {first} to {last}": "en la lista del {first} al {last}",
    "approved after {n} days": "aprobada tras {n} días",
    "Spellings ICE used": "Grafías que usó ICE",
    "As printed": "Tal como se imprimió",
    "Why it is this agency": "Por qué es esta agencia",
    "Rows": "Filas",
    "Roster facts": "Datos del FBI",
    "not matched": "sin correspondencia",
    "Sworn officers": "Agentes juramentados",
    "Population served": "Población atendida",
    "From the FBI's Law Enforcement Employees data, matched by name within the state.": (
        "De los datos de empleados policiales del FBI, emparejados por nombre dentro del estado."
    ),
    "Roster facts (FBI ORI, sworn officers, population served) are not yet available in this build.": (
        "Los datos del FBI (ORI, agentes juramentados, población atendida) aún no están disponibles en esta versión."
    ),
    "Events": "Eventos",
    "Atom feed of this agency's changes": "Canal Atom de los cambios de esta agencia",
    "How to cite": "Cómo citar",
    "track287g, “{name} ({state})”, record {id}, data version {version}, from ICE's 287(g) lists published {first} "
    "to {last}.": (
        "track287g, «{name} ({state})», registro {id}, versión de datos {version}, según las listas 287(g) de ICE "
        "publicadas del {first} al {last}."
    ),
    "signed": "firmado",
    "{n} days after the application was listed": "{n} días después de figurar la solicitud",
    # --- changes
    "Changes, publication by publication": "Cambios, publicación por publicación",
    "What changed on each list ICE published against the one before it. Each change shows ICE's row as printed "
    "beside the corrected values, with the rule applied to every repair.": (
        "Qué cambió en cada lista que publicó ICE respecto de la anterior. Cada cambio muestra la fila de ICE tal como "
        "se imprimió junto a los valores corregidos, con la regla aplicada en cada corrección."
    ),
    "{n} changes in {publications}.": "{n} cambios en {publications}.",
    "{n} change in {publications}.": "{n} cambio en {publications}.",
    "{n} publications": "{n} publicaciones",
    "{n} publication": "{n} publicación",
    "ICE's row and the corrected values": "La fila de ICE y los valores corregidos",
    "Row {n} of the sheet": "Fila {n} de la hoja",
    "Column": "Columna",
    "As ICE printed it": "Tal como lo imprimió ICE",
    "Corrected": "Corregido",
    # --- pending
    "Pending applications": "Solicitudes pendientes",
    "ICE also publishes a list of agencies whose applications are pending. Most move to the participating list; some "
    "vanish without an agreement.": (
        "ICE publica también una lista de agencias con solicitudes pendientes. La mayoría pasa a la lista de "
        "participantes; algunas desaparecen sin acuerdo."
    ),
    "On the pending list": "En la lista de pendientes",
    "{n} applications from {agencies}.": "{n} solicitudes de {agencies}.",
    "{n} application from {agencies}.": "{n} solicitud de {agencies}.",
    "Time to approval": "Tiempo hasta la aprobación",
    "{n} applications were approved; the median took {m} days from first appearing on the pending list to the "
    "agreement (a quarter took {p25} days or less, a quarter {p75} or more).": (
        "Se aprobaron {n} solicitudes; la mediana tardó {m} días desde su primera aparición en la lista de pendientes "
        "hasta el acuerdo (una cuarta parte tardó {p25} días o menos y otra cuarta parte {p75} o más)."
    ),
    "Applications by days to approval": "Solicitudes por días hasta la aprobación",
    "Days": "Días",
    "Applications": "Solicitudes",
    "Statuses": "Situaciones",
    "Applications that vanished": "Solicitudes que desaparecieron",
    "Applications that left the pending list without an agreement appearing.": (
        "Solicitudes que salieron de la lista de pendientes sin que apareciera un acuerdo."
    ),
    # --- publications
    "ICE's publications, archived": "Las publicaciones de ICE, archivadas",
    "Every distinct file ICE published, newest first. Lists from before February 2025 were extracted by a third "
    "party from archived copies of ICE's web page.": (
        "Cada archivo distinto que publicó ICE, del más reciente al más antiguo. Las listas anteriores a febrero de "
        "2025 las extrajo un tercero de copias archivadas de la página web de ICE."
    ),
    "All": "Todas",
    "Published": "Publicada",
    "File names": "Nombres de archivo",
    "derived": "derivada",
    # --- money
    "Following the money": "El rastro del dinero",
    "Since 2025 ICE reimburses Task Force Model agencies for officers' salaries, overtime, equipment and vehicles, "
    "and pays performance awards. This page shows a transparent model of those payments, with a range, and every "
    "assumption it rests on.": (
        "Desde 2025 ICE reembolsa a las agencias del Modelo de Grupo de Trabajo los salarios, las horas extra, el "
        "equipo y los vehículos de sus agentes, y paga incentivos por desempeño. Esta página muestra un modelo "
        "transparente de esos pagos, con un intervalo y cada supuesto en que se apoya."
    ),
    "Estimated federal payments in {year}: {central} (range {low} to {high}).": (
        "Pagos federales estimados en {year}: {central} (intervalo de {low} a {high})."
    ),
    "Components of the estimate": "Componentes de la estimación",
    "Component": "Componente",
    "Low": "Bajo",
    "Central": "Central",
    "High": "Alto",
    "The funding model is not yet available in this build.": (
        "El modelo de financiación aún no está disponible en esta versión."
    ),
    "salary_benefits": "salarios y prestaciones",
    "overtime": "horas extra",
    "awards": "incentivos",
    "equipment": "equipo",
    "vehicles": "vehículos",
    # --- claims
    "Claims checked against the record": "Afirmaciones contrastadas con el registro",
    "Officials and reports cite figures about 287(g). Each claim here is checked against ICE's own lists of the "
    "same date.": (
        "Autoridades e informes citan cifras sobre 287(g). Cada afirmación se contrasta aquí con las propias listas "
        "de ICE de la misma fecha."
    ),
    "Verdict": "Veredicto",
    "Claim": "Afirmación",
    "Date": "Fecha",
    "Claimed": "Cifra citada",
    "ICE's list": "Lista de ICE",
    "Claim checks are not yet available in this build.": (
        "La verificación de afirmaciones aún no está disponible en esta versión."
    ),
    # --- methodology
    "Sources": "Fuentes",
    "ICE publishes two spreadsheets on its 287(g) page, the participating agencies and the pending agencies, and "
    "overwrites them every few days. track287g keeps every file byte for byte, addressed by its sha256, with where "
    "and when it was found. Lists from January 2021 to February 2025 come from archived copies of ICE's web page, "
    "extracted by a third party; they are marked as derived wherever they are used.": (
        "ICE publica dos hojas de cálculo en su página de 287(g), las agencias participantes y las pendientes, y las "
        "sobrescribe cada pocos días. track287g guarda cada archivo byte a byte, identificado por su sha256, con "
        "dónde y cuándo se encontró. Las listas de enero de 2021 a febrero de 2025 provienen de copias archivadas de "
        "la página web de ICE, extraídas por un tercero; se marcan como derivadas allí donde se usan."
    ),
    "First": "Primera",
    "Last": "Última",
    "Agencies and agreements": "Agencias y acuerdos",
    "ICE publishes no identifiers. An agency is one law enforcement body in one state; an agreement is one signed "
    "instrument: agency, support model and signing date. An agency can hold several agreements. Identifiers are "
    "made from this content, so they stay the same when ICE fixes a typo or re-spells a name.": (
        "ICE no publica identificadores. Una agencia es un cuerpo policial de un estado; un acuerdo es un instrumento "
        "firmado: agencia, modelo de colaboración y fecha de firma. Una agencia puede tener varios acuerdos. Los "
        "identificadores se forman a partir de ese contenido, así que no cambian cuando ICE corrige una errata o "
        "escribe un nombre de otra forma."
    ),
    "The three support models are the Jail Enforcement Model (JEM), the Task Force Model (TFM) and the Warrant "
    "Service Officer model (WSO).": (
        "Los tres modelos de colaboración son el Modelo de Aplicación en Cárceles (JEM), el Modelo de Grupo de "
        "Trabajo (TFM) y el modelo de Agentes de Ejecución de Órdenes (WSO)."
    ),
    "Rules": "Reglas",
    "Every repair of ICE's values is recorded with its rule, and every merge of two spellings with its evidence. A "
    "row missing from one list and back in the next is not a removal: an absence must last the number of "
    "publications below before it counts.": (
        "Cada corrección de los valores de ICE se registra con su regla, y cada fusión de dos grafías con su prueba. "
        "Una fila que falta en una lista y vuelve en la siguiente no es una baja: la ausencia debe durar el número de "
        "publicaciones indicado abajo para contar."
    ),
    "Rule": "Regla",
    "Value": "Valor",
    "Repairs applied to ICE's rows": "Correcciones aplicadas a las filas de ICE",
    "Limitations": "Limitaciones",
    "The record is only as complete as the files archived: a list ICE posted and replaced between two captures is "
    "missing.": (
        "El registro solo es tan completo como los archivos guardados: falta toda lista que ICE publicó y reemplazó "
        "entre dos capturas."
    ),
    "Publication dates come from ICE's file names when they can be read, else from the workbook or the archive's "
    "capture; the rule used is shown for each publication.": (
        "Las fechas de publicación salen de los nombres de archivo de ICE cuando pueden leerse; si no, del libro de "
        "cálculo o de la captura del archivo; se indica la regla usada en cada publicación."
    ),
    "County placement on the maps matches ICE's COUNTY column to county names; agencies of a whole state, and lists "
    "without a COUNTY column, are not placed.": (
        "La ubicación en los mapas empareja la columna COUNTY de ICE con los nombres de los condados; las agencias de "
        "todo un estado y las listas sin columna COUNTY no se sitúan."
    ),
    "A date in the past shows ICE's latest list published on or before it, not what was signed by then.": (
        "Una fecha pasada muestra la última lista de ICE publicada en esa fecha o antes, no lo firmado hasta entonces."
    ),
    "track287g, the open record of ICE 287(g) agreements, data version {version}. Name the ICE list (its publication "
    "date) behind every figure.": (
        "track287g, el registro abierto de los acuerdos 287(g) de ICE, versión de datos {version}. Indique la lista "
        "de ICE (su fecha de publicación) detrás de cada cifra."
    ),
    # --- downloads
    "Bulk exports": "Exportaciones completas",
    "Every table of the record, with a datapackage.json describing the columns.": (
        "Todas las tablas del registro, con un datapackage.json que describe las columnas."
    ),
    "bytes": "bytes",
    "Bulk exports (CSV, Parquet, XLSX, JSON with datapackage.json) are not yet available in this build.": (
        "Las exportaciones completas (CSV, Parquet, XLSX, JSON con datapackage.json) aún no están disponibles en esta "
        "versión."
    ),
    "CSV from the API": "CSV de la API",
    "Always available: the whole filtered list, in CSV. Add the same filters as on the pages (state, model, status, "
    "as_of).": (
        "Siempre disponible: la lista filtrada completa, en CSV. Añada los mismos filtros que en las páginas (state, "
        "model, status, as_of)."
    ),
    "Agencies (all, with status and models)": "Agencias (todas, con situación y modelos)",
    "Agreements (model, signing date, status, first and last listed, MOA)": (
        "Acuerdos (modelo, fecha de firma, situación, primera y última aparición, MOA)"
    ),
    "Changes between publications": "Cambios entre publicaciones",
    "ICE's publications archived": "Publicaciones de ICE archivadas",
    "Counts per state, now and at the start of 2025": "Recuentos por estado, ahora y a comienzos de 2025",
    "Counts on every participating list (a time series)": "Recuentos en cada lista de participantes (serie temporal)",
    "The latest pending list": "La última lista de pendientes",
    # --- API page
    "JSON API": "API JSON",
    "Every page of this site has a JSON twin: add index.json to its address. The API below serves the same data with "
    "filters, pagination and CSV variants; answers carry an ETag keyed on the data version.": (
        "Cada página de este sitio tiene su gemela en JSON: añada index.json a su dirección. La API de abajo sirve los "
        "mismos datos con filtros, paginación y variantes en CSV; las respuestas llevan un ETag ligado a la versión "
        "de los datos."
    ),
    "OpenAPI document": "Documento OpenAPI",
    "Address": "Dirección",
    "What it answers": "Qué responde",
    "Parameters": "Parámetros",
    "Examples": "Ejemplos",
    "Errors are JSON too: {example}.": "Los errores también son JSON: {example}.",
    "This index: the endpoints and the data version.": "Este índice: las direcciones y la versión de los datos.",
    "Every ICE publication archived (participating and pending lists), newest first.": (
        "Cada publicación de ICE archivada (listas de participantes y de pendientes), de la más reciente a la más "
        "antigua."
    ),
    "One publication (by sha256 prefix, date like 2026-01-26pm or file name) with what it lists.": (
        "Una publicación (por prefijo sha256, fecha como 2026-01-26pm o nombre de archivo) con lo que contiene."
    ),
    "Agencies, filtered by state, model, status, type, kind, a search term, or listed on a date (as_of).": (
        "Agencias, filtradas por estado, modelo, situación, tipo, clase, un término de búsqueda o presencia en la "
        "lista en una fecha (as_of)."
    ),
    "One agency: agreements, spellings, applications, events.": (
        "Una agencia: acuerdos, grafías, solicitudes, eventos."
    ),
    "Agreements (agency + model + signing date), filtered like agencies; as_of gives those listed then.": (
        "Acuerdos (agencia + modelo + fecha de firma), filtrados como las agencias; as_of da los que figuraban "
        "entonces."
    ),
    "Changes between consecutive publications, newest first.": (
        "Cambios entre publicaciones consecutivas, del más reciente al más antiguo."
    ),
    "Agencies and agreements on a date (default the latest list), in total and by state, model, type or kind.": (
        "Agencias y acuerdos en una fecha (por defecto, la última lista), en total y por estado, modelo, tipo o clase."
    ),
    "Agencies and agreements on every list of a kind, in total and by model (a time series).": (
        "Agencias y acuerdos en cada lista de un tipo, en total y por modelo (serie temporal)."
    ),
    "What was in force on a date: ICE's latest list on or before it, its agreements, and pending applications.": (
        "Lo vigente en una fecha: la última lista de ICE en esa fecha o antes, sus acuerdos y las solicitudes "
        "pendientes."
    ),
    "Every state, DC and territory: counts now and at the start of 2025.": (
        "Cada estado, DC y territorio: recuentos actuales y a comienzos de 2025."
    ),
    "One state: counts, agencies, timeline, latest changes.": (
        "Un estado: recuentos, agencias, evolución, últimos cambios."
    ),
    "The pending list (latest or on a date), time to approval, applications that vanished.": (
        "La lista de pendientes (la última o en una fecha), tiempo hasta la aprobación, solicitudes desaparecidas."
    ),
    "Officers and people covered (from the FBI rosters), when built.": (
        "Agentes y población cubiertos (según los registros del FBI), cuando esté disponible."
    ),
    "The funding model's estimate for a year (low / central / high), when built.": (
        "La estimación anual del modelo de financiación (baja / central / alta), cuando esté disponible."
    ),
    # --- errors
    "Bad request": "Solicitud incorrecta",
    "Not found": "No encontrado",
    "Not available": "No disponible",
    "Something went wrong": "Algo salió mal",
    "Try the search, the list of states, or the home page.": (
        "Pruebe la búsqueda, la lista de estados o la página de inicio."
    ),
    # --- values shown through _(value): models, list kinds, statuses, types, agency kinds, event types
    "Jail Enforcement Model": "Modelo de Aplicación en Cárceles",
    "Task Force Model": "Modelo de Grupo de Trabajo",
    "Warrant Service Officer": "Agente de Ejecución de Órdenes",
    "participating": "participantes",
    "pending": "pendiente",
    "participating (list)": "de participantes",
    "pending (list)": "de pendientes",
    "active": "activa",
    "removed": "retirada",
    "withdrawn": "desistida",
    "approved": "aprobada",
    "superseded": "sustituido",
    "county": "condado",
    "municipal": "municipal",
    "state": "estatal",
    "unknown": "desconocido",
    "sheriff": "sheriff",
    "police": "policía",
    "corrections": "prisiones",
    "state-other": "otra agencia estatal",
    "state-police": "policía estatal",
    "military": "militar",
    "prosecutor": "fiscalía",
    "campus": "campus universitario",
    "state-investigation": "investigación estatal",
    "county-government": "gobierno del condado",
    "other": "otra",
    "marshal": "alguacil (marshal)",
    "constable": "alguacil (constable)",
    "added": "alta",
    "missing": "ausente",
    "reappeared": "reaparecido",
    "re-dated": "fecha cambiada",
    "renamed": "nombre cambiado",
    "renewed": "renovado",
    "model-added": "modelo añadido",
    "moved-from-pending": "desde pendientes",
    "pending-added": "solicitud nueva",
    "pending-approved": "solicitud aprobada",
    "pending-withdrawn": "solicitud desaparecida",
    "pending-missing": "solicitud ausente",
    "pending-reappeared": "solicitud reaparecida",
    # --- money, claims, agency sizes (issue 15)
    "% change in {unit} since {date}": "% de cambio en {unit} desde {date}",
    "(the text is ambiguous: both units checked)": "(el texto es ambiguo: se comprueban ambas unidades)",
    "* = an HTML-era table extracted by a third party. Verdicts: matches (holds as worded), close (within "
    "5%), differs.": (
        "* = una tabla de la época HTML extraída por terceros. Veredictos: coincide (se sostiene tal como "
        "está redactada), cercana (a menos del 5 %), difiere."
    ),
    "70-79% ($500 a quarter)": "70-79 % (500 dólares por trimestre)",
    "80-89% ($750 a quarter)": "80-89 % (750 dólares por trimestre)",
    "90-100% ($1,000 a quarter)": "90-100 % (1000 dólares por trimestre)",
    "A value you give is taken as given; the other assumptions keep their ranges. Empty fields keep the "
    "model's central values.": (
        "Un valor que usted indique se toma tal cual; los demás supuestos conservan sus intervalos. Los "
        "campos vacíos conservan los valores centrales del modelo."
    ),
    "Agencies found": "Agencias encontradas",
    "Agencies placed in counties": "Agencias situadas en condados",
    "Agencies without a county": "Agencias sin condado",
    "Agencies, each with the inputs its figure used": "Agencias, cada una con los datos que usó su cifra",
    "All Task Force Model agencies of {county}: {central} (range {low} to {high}).": (
        "Todas las agencias del Modelo de Fuerza de Tarea de {county}: {central} (intervalo de {low} a {high})."
    ),
    "Also printed by": "También lo publicó",
    "Assumption": "Supuesto",
    "At the model's central values": "Con los valores centrales del modelo",
    "At the offer's maximum": "Con el máximo de la oferta",
    "Award tier": "Nivel de incentivo",
    "By county (click a county for its agencies)": "Por condado (haga clic en un condado para ver sus agencias)",
    "By county and agency": "Por condado y agencia",
    "By state (click a state for its counties and agencies)": (
        "Por estado (haga clic en un estado para ver sus condados y agencias)"
    ),
    "Components are those of the state the place is in.": "Los componentes son los del estado en que está el lugar.",
    "Confidence": "Confianza",
    "Estimated federal payments to this agency in {year}: {central} (range {low} to {high}).": (
        "Pagos federales estimados a esta agencia en {year}: {central} (intervalo de {low} a {high})."
    ),
    "Estimated federal payments to {state}'s Task Force Model agencies in {year}: {central} (range {low} to {high}).": (
        "Pagos federales estimados a las agencias del Modelo de Fuerza de Tarea de {state} en {year}: "
        "{central} (intervalo de {low} a {high})."
    ),
    "Every assumption: value, range, unit, confidence and source": (
        "Cada supuesto: valor, intervalo, unidad, confianza y fuente"
    ),
    "Evidence": "Pruebas",
    "Figure": "Cifra",
    "Figure at the high end": "Cifra en el extremo alto",
    "Figure at the low end": "Cifra en el extremo bajo",
    "Figure made by": "Cifra elaborada por",
    "How this is estimated": "Cómo se estima",
    "Listed agencies": "Agencias en la lista",
    "Near spellings considered": "Grafías cercanas consideradas",
    "New agencies per month": "Agencias nuevas por mes",
    "News reports cite figures about 287(g). Each claim here names the report that printed it and who "
    "made the figure, and is checked against ICE's own lists of the same date.": (
        "Los medios citan cifras sobre el 287(g). Cada afirmación indica el medio que la publicó y quién "
        "elaboró la cifra, y se comprueba con las propias listas de ICE de la misma fecha."
    ),
    "No agency found.": "No se encontró ninguna agencia.",
    "Officers per agency": "Agentes por agencia",
    "On ICE's list published {date}:": "En la lista de ICE publicada el {date}:",
    "Overtime, share of salary (%)": "Horas extra, proporción del salario (%)",
    "Parts of the offer": "Partes de la oferta",
    "Permalink to this answer:": "Enlace permanente a esta respuesta:",
    "Place": "Lugar",
    "Printed by": "Publicado por",
    "Projected new agencies": "Agencias nuevas proyectadas",
    "Projected new agencies (in no county yet)": "Agencias nuevas proyectadas (aún sin condado)",
    "Publications searched": "Publicaciones revisadas",
    "Range": "Intervalo",
    "Recalculate": "Recalcular",
    "Saved text": "Texto guardado",
    "Share of officers claimed (%)": "Proporción de agentes reclamados (%)",
    "Since October 2025 ICE reimburses Task Force Model agencies for their officers' salaries, benefits "
    "and overtime, pays for equipment and vehicles, and pays performance awards. This page estimates "
    "those payments for the country, a state, a county or one agency, with a range, and shows every "
    "assumption the estimate rests on.": (
        "Desde octubre de 2025 ICE reembolsa a las agencias del Modelo de Fuerza de Tarea los salarios, las "
        "prestaciones y las horas extra de sus agentes, paga equipo y vehículos, y paga incentivos por "
        "desempeño. Esta página estima esos pagos para el país, un estado, un condado o una agencia, con un "
        "intervalo, y muestra cada supuesto en que se basa la estimación."
    ),
    "Size the funding model uses": "Tamaño que usa el modelo de financiación",
    "Source": "Fuente",
    "Sources are quoted in their original language.": "Las fuentes se citan en su idioma original.",
    "State agencies and agencies without a county": "Agencias estatales y agencias sin condado",
    "TFM agencies": "Agencias TFM",
    "Task-force officers": "Agentes de la fuerza de tarea",
    "The comment says": "El comentario dice",
    "The county's estimate": "La estimación del condado",
    "The range runs from the {low}th to the {high}th percentile of {draws} simulated draws of the "
    "uncertain assumptions (seed {seed}: the same figures every time).": (
        "El intervalo va del percentil {low} al percentil {high} de {draws} extracciones simuladas de los "
        "supuestos inciertos (semilla {seed}: las mismas cifras cada vez)."
    ),
    "This agency holds no Task Force Model agreement on the latest list: the reimbursements are offered "
    "to Task Force Model agencies only.": (
        "Esta agencia no tiene un acuerdo del Modelo de Fuerza de Tarea en la lista más reciente: los "
        "reembolsos solo se ofrecen a las agencias de ese modelo."
    ),
    "Unit": "Unidad",
    "United States": "Estados Unidos",
    "Wage": "Salario",
    "What each count counts": "Qué cuenta cada recuento",
    "What moves this figure most: each assumption alone at the low and the high end of its range": (
        "Lo que más mueve esta cifra: cada supuesto por separado en el extremo bajo y en el alto de su intervalo"
    ),
    "What the state's figure adds up": "Lo que suma la cifra del estado",
    "Worked example: each sum of the comment, with the parts of ICE's offer it seems to cover, priced "
    "from the funding model's parameters for one officer at the national mean wage.": (
        "Ejemplo resuelto: cada suma del comentario, con las partes de la oferta de ICE que parece cubrir, "
        "con precios tomados de los parámetros del modelo de financiación para un agente con el salario medio "
        "nacional."
    ),
    "Your scenario": "Su escenario",
    "its estimate": "su estimación",
    "no awards": "sin incentivos",
    "none": "ninguna",
    "the model's mix": "la combinación del modelo",
    "via": "a través de",
    "{county}, {state}": "{county}, {state}",
    "participating (searched)": "listas de participantes",
    "pending (searched)": "listas de pendientes",
    "html_era (searched)": "tablas de la época HTML",
    "The funding model's estimate for the nation, a state, a county or an agency (low / central / high), "
    "with its inputs and a scenario.": (
        "La estimación del modelo de financiación para el país, un estado, un condado o una agencia (baja / "
        "central / alta), con sus datos y un escenario."
    ),
    "matches": "coincide",
    "close": "cercana",
    "differs": "difiere",
    "error": "error",
    "states": "estados",
    "territories": "territorios",
    "states_and_territories": "estados y territorios",
    "high": "alta",
    "medium": "media",
    "low": "baja",
    "date": "fecha",
    "percent": "por ciento",
    "dollars per officer per quarter": "dólares por agente por trimestre",
    "dollars per officer": "dólares por agente",
    "dollars per agency": "dólares por agencia",
    "dollars per year": "dólares por año",
    "officers per agency": "agentes por agencia",
    "officers": "agentes",
    "ratio": "razón",
    "months": "meses",
    "year": "año",
    "text": "texto",
    "percent per year": "por ciento al año",
    "percent of officer-quarters": "por ciento de trimestres-agente",
    "agencies per month": "agencias por mes",
    "count": "número",
    "A board of county commissioners is not a law-enforcement agency.": (
        "Una junta de comisionados del condado no es una agencia policial."
    ),
    "Agencies: the {agencies} Task Force Model agencies on ICE's participating list published "
    "{published_date} {part}; they are assumed to stay for the whole period.": (
        "Agencias: las {agencies} agencias del Modelo de Fuerza de Tarea de la lista de participantes de ICE "
        "publicada el {published_date} {part}; se supone que siguen durante todo el período."
    ),
    "Benefits, share of total compensation": "Prestaciones, proporción de la remuneración total",
    "Central figures add up: agencies to counties, counties (with state agencies and projected sign-ups) "
    "to states, states to the nation. Each range runs from the {p_low}th to the {p_high}th percentile of "
    "that place's own total over the same draws, so ranges do not add up.": (
        "Las cifras centrales suman: las agencias dan los condados, los condados (con las agencias estatales "
        "y las adhesiones proyectadas) dan los estados, los estados dan el país. Cada intervalo va del "
        "percentil {p_low} al {p_high} del total propio de ese lugar en las mismas extracciones, por lo que "
        "los intervalos no suman."
    ),
    "Constables: Pennsylvania's and Tennessee's are in neither FBI roster; Texas's are in the 2025 roster "
    'with the precinct cut from the name ("Bexar County Constable:"), so which ORI is which precinct '
    "cannot be told from the bundled rosters. A crosswalk that would tell (the Law Enforcement Agency "
    "Identifiers Crosswalk, state rosters) is not bundled and cannot be fetched on this machine.": (
        "Alguaciles (constables): los de Pensilvania y Tennessee no están en ningún registro del FBI; los de "
        'Texas están en el registro de 2025 con el distrito cortado del nombre ("Bexar County Constable:"), '
        "así que no se puede saber qué ORI corresponde a qué distrito con los registros incluidos. Una tabla "
        "de correspondencias que lo diría (el Law Enforcement Agency Identifiers Crosswalk, registros "
        "estatales) no está incluida y no se puede descargar en esta máquina."
    ),
    "Departments of corrections and county jails: their officers are not counted in the FBI rosters; "
    "where a department's inspector general or internal affairs unit has an ORI, it is not the "
    "department.": (
        "Departamentos de correcciones y cárceles de condado: sus agentes no se cuentan en los registros del "
        "FBI; cuando la inspección general o la unidad de asuntos internos de un departamento tiene un ORI, "
        "no es el departamento."
    ),
    "Equipment per officer": "Equipo por agente",
    "FWD.us's high end, {target_usd} for {officers} officers, is reproduced by changing one input within "
    "its stated range (the others at their central values):": (
        "El extremo alto de FWD.us, {target_usd} para {officers} agentes, se reproduce cambiando un solo dato "
        "dentro de su intervalo declarado (los demás en sus valores centrales):"
    ),
    "FWD.us's low end, {target_usd} for {officers} officers, is reproduced by changing one input within "
    "its stated range (the others at their central values):": (
        "El extremo bajo de FWD.us, {target_usd} para {officers} agentes, se reproduce cambiando un solo dato "
        "dentro de su intervalo declarado (los demás en sus valores centrales):"
    ),
    "High end of the range (percentile)": "Extremo alto del intervalo (percentil)",
    "How officers grow with an agency's size": "Cómo crecen los agentes con el tamaño de la agencia",
    "Low end of the range (percentile)": "Extremo bajo del intervalo (percentil)",
    "Months from signing to operational": "Meses desde la firma hasta estar operativo",
    "National and state guards do not report to the FBI.": "Las guardias nacionales y estatales no informan al FBI.",
    "National mean wage (where no state wage)": "Salario medio nacional (donde no hay salario estatal)",
    "New Task Force Model agencies per month": "Agencias nuevas del Modelo de Fuerza de Tarea por mes",
    "New agencies after that list are projected at the growth per month, spread over the states like the "
    "listed ones; they are in no county until they sign.": (
        "Las agencias nuevas posteriores a esa lista se proyectan con el crecimiento mensual, repartidas "
        "entre los estados como las de la lista; no están en ningún condado hasta que firman."
    ),
    "No BLS state wage for {states}: the national mean wage is used.": (
        "No hay salario estatal del BLS para {states}: se usa el salario medio nacional."
    ),
    "No agency of {county}, {state} is on the list in force on this date, and none was on any list before.": (
        "Ninguna agencia de {county}, {state} está en la lista vigente en esta fecha, y ninguna estuvo antes "
        "en ninguna lista."
    ),
    "No agency of {county}, {state} is on the list in force on this date; {agencies} were listed at some time.": (
        "Ninguna agencia de {county}, {state} está en la lista vigente en esta fecha; {agencies} estuvieron "
        "en alguna lista."
    ),
    "No agency placed in this county holds a Task Force Model agreement on ICE's participating list "
    "published {published_date} {part}. Sign-ups projected for the state are in no county until they "
    "sign, and state agencies serve the whole state.": (
        "Ninguna agencia situada en este condado tiene un acuerdo del Modelo de Fuerza de Tarea en la lista "
        "de participantes de ICE publicada el {published_date} {part}. Las adhesiones proyectadas para el "
        "estado no están en ningún condado hasta que firman, y las agencias estatales sirven a todo el "
        "estado."
    ),
    "No list ICE published (participating, pending or the older web tables) ever named {name} ({state}); "
    "{near} near spellings were considered.": (
        "Ninguna lista publicada por ICE (de participantes, de pendientes o las tablas web anteriores) nombró "
        "nunca a {name} ({state}); se consideraron {near} grafías cercanas."
    ),
    "Offer announced": "Oferta anunciada",
    "Officer-quarters in the 70-79% award tier": "Trimestres-agente en el nivel de incentivo del 70-79 %",
    "Officer-quarters in the 80-89% award tier": "Trimestres-agente en el nivel de incentivo del 80-89 %",
    "Officer-quarters in the 90-100% award tier": "Trimestres-agente en el nivel de incentivo del 90-100 %",
    "Officers at most, as a share of sworn officers": "Agentes como máximo, como proporción de los juramentados",
    "Officers nationwide (when fixed)": "Agentes en todo el país (cuando se fija)",
    "Officers per agency (average)": "Agentes por agencia (promedio)",
    "Other bodies: no roster agency of a fitting kind with a close name.": (
        "Otros organismos: ninguna agencia del registro de una clase adecuada con un nombre cercano."
    ),
    "Overtime claimed, share of salary": "Horas extra reclamadas, proporción del salario",
    "Overtime reimbursed, at most": "Horas extra reembolsadas, como máximo",
    "Prosecutors: few district attorneys and attorneys general report to the FBI.": (
        "Fiscalías: pocos fiscales de distrito y fiscales generales informan al FBI."
    ),
    "Quarterly award, 70-79% tier": "Incentivo trimestral, nivel del 70-79 %",
    "Quarterly award, 80-89% tier": "Incentivo trimestral, nivel del 80-89 %",
    "Quarterly award, 90-100% tier": "Incentivo trimestral, nivel del 90-100 %",
    "Random seed": "Semilla aleatoria",
    "Reimbursements start": "Comienzo de los reembolsos",
    "Salary and benefits reimbursed": "Salario y prestaciones reembolsados",
    "Share of agencies claiming vehicles": "Proporción de agencias que reclaman vehículos",
    "Share of officers claimed": "Proporción de agentes reclamados",
    "Share of the equipment money paid": "Proporción del dinero para equipo que se paga",
    "Sheriffs: ICE printed the office under the wrong state (Crow Wing County, Minnesota's, under MA), "
    "the office is in neither roster, or the sheriff only runs the jail and the county's police holds the "
    "ORI.": (
        "Oficinas del sheriff: ICE las publicó en un estado equivocado (la de Crow Wing County, de Minnesota, "
        "bajo MA), la oficina no está en ningún registro, o el sheriff solo dirige la cárcel y el ORI es de "
        "la policía del condado."
    ),
    "Simulated draws": "Extracciones simuladas",
    "State agencies: some are missing from the bundled rosters (South Carolina's SLED, Oklahoma's Bureau "
    "of Narcotics); others report only through units no name rule can tie to them (left for review).": (
        "Agencias estatales: algunas faltan en los registros incluidos (la SLED de Carolina del Sur, la "
        "Oficina de Narcóticos de Oklahoma); otras solo informan mediante unidades que ninguna regla de "
        "nombres puede vincularles (quedan para revisión)."
    ),
    "Sworn officers are not known for these agencies (the enrich stage has not run): every agency counts "
    "as the same size.": (
        "No se conocen los agentes juramentados de estas agencias (la etapa de enriquecimiento no se "
        "ejecutó): todas las agencias cuentan con el mismo tamaño."
    ),
    "Sworn officers: the FBI's count for {counted} of the {agencies} agencies, a stated estimate (the "
    "median of their kind in their state) for {estimated}; each agency's officers grow with its size and "
    "never exceed it.": (
        "Agentes juramentados: el recuento del FBI para {counted} de las {agencies} agencias y una estimación "
        "declarada (la mediana de su clase en su estado) para {estimated}; los agentes de cada agencia crecen "
        "con su tamaño y nunca lo superan."
    ),
    "Task-force officers' pay against the state's average": (
        "Paga de los agentes de la fuerza de tarea frente al promedio del estado"
    ),
    "The $100,000 for vehicles is per agency and once, not per officer or per year.": (
        "Los 100 000 dólares para vehículos son por agencia y una sola vez, no por agente ni por año."
    ),
    "The comment's count: {terms} = {total} (it says {claimed}).": (
        "La cuenta del comentario: {terms} = {total} (dice {claimed})."
    ),
    'The record holds no arrest or deportation counts: "850 deportations" cannot be checked.': (
        'El registro no contiene cifras de arrestos ni de deportaciones: "850 deportaciones" no se puede comprobar.'
    ),
    "This agency holds no Task Force Model agreement on ICE's participating list published "
    "{published_date} {part}: the reimbursements are offered to Task Force Model agencies only.": (
        "Esta agencia no tiene un acuerdo del Modelo de Fuerza de Tarea en la lista de participantes de ICE "
        "publicada el {published_date} {part}: los reembolsos solo se ofrecen a las agencias de ese modelo."
    ),
    "Town police and marshals: towns that do not report to the FBI, and names the rosters spell too "
    "differently to match without a person's review.": (
        "Policías municipales y alguaciles: municipios que no informan al FBI, y nombres que los registros "
        "escriben de forma demasiado distinta para emparejarlos sin la revisión de una persona."
    ),
    "Vehicles per agency": "Vehículos por agencia",
    "Wage growth per year": "Crecimiento salarial anual",
    "Wage statistic (mean or median)": "Estadística salarial (media o mediana)",
    "Year of the BLS wages": "Año de los salarios del BLS",
    "about {sworn} sworn officers: no FBI count for this agency; the median of the {n} agencies of "
    "{state} in the FBI roster": (
        "unos {sworn} agentes juramentados: no hay recuento del FBI para esta agencia; la mediana de las {n} "
        "agencias de {state} en el registro del FBI"
    ),
    "about {sworn} sworn officers: no FBI count for this agency; the median of the {n} {kind} agencies "
    "nationwide in the FBI roster (fewer than {minimum} in {state})": (
        "unos {sworn} agentes juramentados: no hay recuento del FBI para esta agencia; la mediana de las {n} "
        "agencias de la clase {kind} de todo el país en el registro del FBI (menos de {minimum} en {state})"
    ),
    "about {sworn} sworn officers: no FBI count for this agency; the median of the {n} {kind} agencies of "
    "{state} in the FBI roster": (
        "unos {sworn} agentes juramentados: no hay recuento del FBI para esta agencia; la mediana de las {n} "
        "agencias de la clase {kind} de {state} en el registro del FBI"
    ),
    "equipment per officer": "equipo por agente",
    "no archived list shows {claimed} {metric}{filters}": "ninguna lista archivada muestra {claimed} {metric}{filters}",
    "overtime (up to 25% of salary)": "horas extra (hasta el 25 % del salario)",
    "performance awards": "incentivos por desempeño",
    "performance awards (a year at the top tier)": "incentivos por desempeño (un año en el nivel más alto)",
    "salary (mean wage)": "salario (salario medio)",
    "salary and benefits": "salario y prestaciones",
    "the record shows {claimed} {metric}{filters} on the list of {published}, after this date": (
        "el registro muestra {claimed} {metric}{filters} en la lista del {published}, después de esta fecha"
    ),
    "the record shows {claimed} {metric}{filters} on the list of {published}, before this date": (
        "el registro muestra {claimed} {metric}{filters} en la lista del {published}, antes de esta fecha"
    ),
    "the record shows {claimed} {metric}{filters} on the lists of {first} to {last} ({lists} lists), after this date": (
        "el registro muestra {claimed} {metric}{filters} en las listas del {first} al {last} ({lists} "
        "listas), después de esta fecha"
    ),
    "the record shows {claimed} {metric}{filters} on the lists of {first} to {last} ({lists} lists), "
    "before this date": (
        "el registro muestra {claimed} {metric}{filters} en las listas del {first} al {last} ({lists} "
        "listas), antes de esta fecha"
    ),
    "vehicles per agency": "vehículos por agencia",
    "{agencies} agencies of {county}, {state} are on the list in force on this date.": (
        "{agencies} agencias de {county}, {state} están en la lista vigente en esta fecha."
    ),
    "{agencies} state agencies of {state} are on the list in force on this date ({ever} ever listed, the "
    "first from {first_date}).": (
        "{agencies} agencias estatales de {state} están en la lista vigente en esta fecha ({ever} en alguna "
        "lista, la primera desde el {first_date})."
    ),
    "{claimed_usd} is about the mean wage alone ({wage_usd}, BLS May 2024): the salary without the "
    "benefits or the overtime the offer also pays.": (
        "{claimed_usd} es aproximadamente el salario medio por sí solo ({wage_usd}, BLS, mayo de 2024): el "
        "salario sin las prestaciones ni las horas extra que la oferta también paga."
    ),
    "{count} agencies: law-enforcement bodies, each counted once whatever its spelling and however many "
    "agreements it holds.": (
        "{count} agencias: organismos policiales, cada uno contado una vez, sea cual sea su grafía y cuantos "
        "acuerdos tenga."
    ),
    "{count} agreements: an agency, a support model (JEM, TFM, WSO) and a signing date. An agency can "
    "hold several at once.": (
        "{count} acuerdos: una agencia, un modelo (JEM, TFM, WSO) y una fecha de firma. Una agencia puede "
        "tener varios a la vez."
    ),
    "{count} distinct spellings of agencies' names (each with its state) on those rows, as ICE typed them "
    '("Macro Island" and "Marco Island" count twice).': (
        "{count} grafías distintas de nombres de agencias (cada una con su estado) en esas filas, tal como "
        'las escribió ICE ("Macro Island" y "Marco Island" cuentan dos veces).'
    ),
    "{count} rows: the lines of ICE's spreadsheet published {published}. ICE prints one row per "
    "agreement, and now and then the same agreement twice.": (
        "{count} filas: las líneas de la hoja de cálculo de ICE publicada el {published}. ICE imprime una "
        "fila por acuerdo y, a veces, el mismo acuerdo dos veces."
    ),
    "{name} ({state}) is not on the list in force on this date, but ICE listed it from {first_date} to {last_date}.": (
        "{name} ({state}) no está en la lista vigente en esta fecha, pero ICE la incluyó del {first_date} al "
        "{last_date}."
    ),
    "{name} ({state}) is on ICE's participating list in force on this date; first listed {first_date}.": (
        "{name} ({state}) está en la lista de participantes de ICE vigente en esta fecha; figura desde el {first_date}."
    ),
    "{sworn} sworn officers (FBI Law Enforcement Employees, {year}, ORI {ori})": (
        "{sworn} agentes juramentados (Law Enforcement Employees del FBI, {year}, ORI {ori})"
    ),
    "{sworn} sworn officers: the headquarters ORI {ori} and {units} other units of the same agency "
    "reporting for {year} (FBI Law Enforcement Employees)": (
        "{sworn} agentes juramentados: el ORI de la sede, {ori}, y otras {units} unidades de la misma agencia "
        "que informan para {year} (Law Enforcement Employees del FBI)"
    ),
    "avg": "media",
    "med": "mediana",
    "a blog (its name is not in the saved text)": "un blog (su nombre no figura en el texto guardado)",
    "the project's founding brief (the outlet it quoted is unknown)": (
        "el documento fundacional del proyecto (se desconoce el medio que citó)"
    ),
    "an unrecorded source": "una fuente no registrada",
    "Central figures of the place's agencies; the range is the total's, above.": (
        "Cifras centrales de las agencias del lugar; el intervalo es el del total, más arriba."
    ),
}
