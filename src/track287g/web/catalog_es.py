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
    # --- documents: the signed agreements (MOAs)
    "MOAs": "MOA",
    "Signed agreements (MOAs)": "Acuerdos firmados (MOA)",
    "{n} of {m} agreements have their MOA on file": "{n} de {m} acuerdos tienen su MOA archivado",
    "on ICE's participating list published {date}": "en la lista de participantes de ICE publicada el {date}",
    "The MOA is the agreement itself, as signed: only it says who signed, when and for which model.": (
        "El MOA es el acuerdo mismo, tal como se firmó: solo él dice quién firmó, cuándo y para qué modelo."
    ),
    "Each PDF is archived byte for byte and served from this site.": (
        "Cada PDF se archiva byte por byte y se sirve desde este sitio."
    ),
    "Its text is read from the PDF (or by OCR where a page is a scan); each value shows the text it came from.": (
        "Su texto se lee del PDF (o por OCR si una página es un escaneo); cada valor muestra el texto del que salió."
    ),
    "Search the text of every archived MOA": "Buscar en el texto de cada MOA archivado",
    "e.g. “complaint procedures” Garrity": "p. ej. “complaint procedures” Garrity",
    "Every word must appear; put a phrase in quotes.": "Cada palabra debe aparecer; ponga una frase entre comillas.",
    "{n} documents mention {q}.": "{n} documentos mencionan {q}.",
    "{n} documents match.": "{n} documentos coinciden.",
    "Document": "Documento",
    "Agency (as the document names it)": "Agencia (como la nombra el documento)",
    "Signed by the agency": "Firmado por la agencia",
    "Signed by ICE": "Firmado por ICE",
    "Text from": "Texto de",
    "Agreement": "Acuerdo",
    "not found": "no encontrado",
    "not linked": "sin vincular",
    "page {p}": "página {p}",
    "Agreements with their MOA on file": "Acuerdos con su MOA archivado",
    "With MOA": "Con MOA",
    "An agreement counts when an archived MOA (not an addendum) is linked to it:": (
        "Un acuerdo cuenta cuando tiene vinculado un MOA archivado (no una adenda):"
    ),
    "by the list's own MOA link, else by its agency, model and signing date.": (
        "por el propio enlace MOA de la lista, o si no por su agencia, modelo y fecha de firma."
    ),
    "The PDF as archived": "El PDF tal como se archivó",
    "{n} pages": "{n} páginas",
    "{n} pages by OCR ({engine})": "{n} páginas por OCR ({engine})",
    "Found under": "Encontrado como",
    "What it says": "Lo que dice",
    "Field": "Campo",
    "Read from": "Leído de",
    "Page": "Página",
    "Confidence": "Confianza",
    "A value not shown was not found in the document; it is unknown, not guessed.": (
        "Un valor que no aparece no se encontró en el documento: es desconocido, no se adivina."
    ),
    "Signers": "Firmantes",
    "For ICE": "Por ICE",
    "For the agency": "Por la agencia",
    "a later signature block, page {p}": "un bloque de firmas posterior, página {p}",
    "name not found": "nombre no encontrado",
    "title not found": "cargo no encontrado",
    "model not found": "modelo no encontrado",
    "kind not found": "tipo no encontrado",
    "signed {date}": "firmado {date}",
    "on a date not found": "en una fecha no encontrada",
    "No signature block was found.": "No se encontró ningún bloque de firmas.",
    "ICE's SIGNED date against the document": "La fecha SIGNED de ICE frente al documento",
    "ICE's date is never changed here: a difference is shown beside it.": (
        "La fecha de ICE nunca se cambia aquí: una diferencia se muestra a su lado."
    ),
    "archived PDF": "PDF archivado",
    "what it says": "lo que dice",
    "{office} field office": "oficina de campo de {office}",
    "An archived PDF is served from this site's archive.": "Un PDF archivado se sirve desde el archivo de este sitio.",
    "matches": "coincide",
    "differs": "difiere",
    "moa": "MOA",
    "addendum": "adenda",
    "text-layer": "capa de texto del PDF",
    "ocr": "OCR",
    "none": "ninguno",
    "models": "modelos",
    "agency": "agencia",
    "field_office": "oficina de campo",
    "term": "vigencia",
    "renewal": "revisión o renovación",
    "addendum_to": "adenda a",
    "signed_ice": "firmado por ICE",
    "signed_agency": "firmado por la agencia",
    "The archived MOAs and addenda (what each says, who signed and when, its agreement); q searches their text.": (
        "Los MOA y adendas archivados (lo que dice cada uno, quién firmó y cuándo, su acuerdo); q busca en su texto."
    ),
    "One document (sha256 or a 6+ character prefix): every value with the text it was read from.": (
        "Un documento (sha256 o un prefijo de 6 o más caracteres): cada valor con el texto del que se leyó."
    ),
    "How many agreements on ICE's participating list have their MOA on file: nationally, per state and model.": (
        "Cuántos acuerdos de la lista de participantes de ICE tienen su MOA archivado: en el país, por estado y modelo."
    ),
}
