/*
 * labels.c — the labels of the VNCERT forms (Circular 20/2017/TT-BTTTT's
 * annex, ../shared/VNCERT-FORMS.md), field for field in the order and with
 * the mandatory marks of the Vietnamese original. They are written in
 * English as gettext msgids; the Vietnamese wording, letter for letter from
 * the circular (its typos included: "TT-BTTT", "hỗ trợ lý"), is in
 * po/vi/incident.po. rs_form_text_translate() looks them up in gettext's
 * current language (rs_incident_render switches it for the render).
 */
#include "core/i18n.h"
#include "incident/render_internal.h"

#include <stdio.h>
#include <string.h>

static const rs_form_text labels = {
	.blank = N_("……(to fill in)……"),
	.exercise = N_("EXERCISE — not a real incident"),
	.circular = N_("Issued with Circular No. 20/2017/TT-BTTTT of 12/9/2017 of the Ministry of Information and Communications"),
	.form_no = {NULL, N_("Form 03"), N_("Form 04"), N_("Form 05")},
	.title = {N_("CYBER INCIDENT NOTIFICATION"), N_("INITIAL CYBER INCIDENT REPORT"),
		  N_("INCIDENT RESPONSE CLOSURE REPORT"),
		  N_("SUMMARY REPORT [6 MONTHS / 1 YEAR] ON RECEIVING AND HANDLING INCIDENTS")},
	.subject = {N_("Cyber incident notification"), N_("Initial cyber incident report"),
		    N_("Incident response closure report"), N_("Summary report on receiving and handling incidents")},
	.deadline_notify = N_("Notification due (at the latest 5 days after the incident was detected)"),
	.deadline_final = N_("Closure report due (5 days after the response ends)"),
	.deadline_final_open = N_("not running yet: the response has not ended"),
	.overdue = N_("OVERDUE"),
	.utc_note = N_("Dates and times in Vietnam time (UTC+07:00)."),
	.note_mandatory = N_("Fields marked (*) are mandatory. The other parts may be left out when there is no information."),
	.note_tbsc = N_("Use a subject starting with \"[TBSC]\" when sending the notification by e-mail"),
	.note_exercises = N_("Exercise incidents not counted:"),
	.signature = N_("INDIVIDUAL/LEGAL REPRESENTATIVE (Signature, seal)"),
	.signature05 = N_("LEGAL REPRESENTATIVE (Seal or digital signature)"),
	.hour = N_("h"),
	.minute = N_("min"),

	.ntf_section = {N_("ORGANISATION/INDIVIDUAL NOTIFYING THE INCIDENT"),
			N_("DETAILS OF THE AFFECTED SYSTEM")},
	.ntf = {NULL,
		N_("Name of the organisation/individual notifying the incident (*)"),
		N_("Address: (*)"),
		N_("Name or domain name, IP address of the affected information system (*):"),
		N_("Name and address of the operating unit or individual (*):"),
		N_("Owning body of the affected information system (if known):"),
		N_("Short description of the incident (*)"),
		N_("Date the incident was detected (*) (dd/mm/yy)"),
		N_("Time of detection (*): … h … min"),
		N_("Proposed handling result (*)"),
		N_("Requests and other related information (if any)")},

	.m03_section = {N_("ORGANISATION/INDIVIDUAL REPORTING THE INCIDENT"), N_("CONTACT PERSON"),
			N_("DETAILS OF THE AFFECTED SYSTEM"),
			N_("SUPPLEMENTARY INFORMATION ON THE AFFECTED SYSTEM"), N_("REQUESTS, SUPPORT WANTED")},
	.m03 = {NULL,
		N_("Name of the organisation/individual reporting the incident (*)"),
		N_("Address: (*)"),
		N_("Telephone (*)"),
		N_("Email (*)"),
		N_("Full name (*)"),
		N_("Position:"),
		N_("Telephone (*)"),
		N_("Email (*)"),
		N_("Name of the unit operating the information system (*):"),
		N_("Owning body:"),
		N_("Name of the affected system"),
		N_("Security level of the information system (if any)"),
		N_("Information security service provider (if any):"),
		N_("Name of the external connectivity provider (if any)"),
		N_("Enter the provider's name here"),
		N_("Short description of the incident (*)"),
		N_("Date the incident was detected (*) (dd/mm/yy)"),
		N_("Time of detection (*): …… h.... min"),
		N_("INCIDENT STATUS (*)"),
		N_("HOW IT WAS DETECTED * (Mark the ways used to detect the incident)"),
		N_("INCIDENT NOTIFICATION ALREADY SENT TO *"),
		N_("Operating system … Version"),
		N_("Services on the system (Mark the services used on the system)"),
		N_("Information security measures in place (Mark the measures deployed)"),
		N_("IP addresses of the system (List the addresses used on the Internet, not internal addresses)"),
		N_("Domain names of the system"),
		N_("Main purpose of the system"),
		N_("Information attached"),
		N_("All information given in this incident notification must be kept confidential:"),
		N_("Description of the requests, proposals"),
		N_("TIME THE INCIDENT REPORT WAS MADE *: …/…/…../…(day/month/year/hour/minute)")},
	.level = {N_("Level 1"), N_("Level 2"), N_("Level 3"), N_("Level 4"), N_("Level 5")},
	.status = {N_("Handled"), N_("Not handled")},
	.detect = {N_("By an intrusion detection system"), N_("By reviewing stored data (log files)"),
		   N_("Notified by:"), N_("Other, namely")},
	.notified = {N_("The network member responsible for incident response for the organisation or individual"),
		     N_("The ISP directly providing the service"), N_("The coordinating body")},
	.services = {N_("Web server"), N_("Mail server"), N_("Database server"), N_("Other services, namely")},
	.safeguards = {N_("Antivirus"), N_("Firewall"), N_("Intrusion detection system"), N_("Other:")},
	.attach = {N_("System logs"), N_("Virus / malware samples"), N_("Other:")},
	.yesno = {N_("Yes"), N_("No")},
	.attach_iocs = N_("IOC lists (STIX 2.1, MISP) attached to the message"),

	.m04_section = {N_("ORGANISATION/INDIVIDUAL REPORTING"), N_("DETAILS OF THE AFFECTED SYSTEM")},
	.m04 = {NULL,
		N_("Name of the organisation/individual reporting the incident (*)"),
		N_("Address: (*)"),
		N_("Telephone (*)"),
		N_("Email (*)"),
		N_("REFERENCE OF THE INITIAL INCIDENT REPORT: Number … Report date: / /201..."),
		N_("Name of the unit operating the information system (*):"),
		N_("Owning body:"),
		N_("Name of the affected system"),
		N_("Security level of the information system, (if any)"),
		N_("Name/description of the incident"),
		N_("Date the incident was detected (*) (dd/mm/yy)"),
		N_("Time of detection (*): …….. h.... min"),
		N_("Result of the incident handling"),
		N_("Documents attached")},
	/* .m04_ref: "Number" under its own context, see rs_form_text_translate */
	.m04_date = N_("Report date"),
	.m04_happened = N_("Incident"),
	.m04_handled = N_("Handling"),
	.m04_prevent = N_("Preventing recurrence"),
	.m04_evidence = N_("Evidence bundles (SHA-256)"),
	.m04_actions = N_("Response actions"),

	.m05_nation = N_("SOCIALIST REPUBLIC OF VIETNAM"),
	.m05_motto = N_("Independence - Freedom - Happiness"),
	.m05_to = N_("To: Vietnam Computer Emergency Response Team (VNCERT/CC)"),
	.m05_period = N_("From month …../20.. to month ..../20.."),
	.m05_org = N_("Name of the agency/organisation:"),
	.m05_address = N_("Address:"),
	.m05_member = N_("Network member code:"),
	.m05_part1 = N_("1. Number of incidents and how they were handled"),
	.m05_part2 = N_("2. Organisations that helped handle incidents"),
	.m05_part3 = N_("3. Foreign organisations that helped handle incidents"),
	.m05_part4 = N_("4. Proposals and requests:"),
	.m05_cols = {N_("Incident/attack type"), N_("Number"), N_("Handled in-house"),
		     N_("Handled with help from other organisations"),
		     N_("Handled with help from foreign organisations"),
		     N_("VNCERT support requested"), N_("Estimated damage")},
	.m05_rows = {N_("Denial of service"), N_("Phishing/spoofing"), N_("Malware"),
		     N_("Unauthorised access, takeover"), N_("Defacement"),
		     N_("Encryption of software, data, devices (ransomware)"), N_("Sabotage of information, data, software"),
		     N_("Eavesdropping, espionage, theft of information or data"),
		     N_("Combined attack using several methods"), N_("Other attacks")},
	.m05_total = N_("Total"),
	.m05_place_date = N_("….., date ……"),
	.m05_unclassified = N_("Incidents without a recorded way of handling:"),
};

const char *const rs_m05_categories[RS_M05_ROWS] = {
	"dos", "phishing", "malware", "intrusion", "defacement",
	"ransomware", "sabotage", "espionage", "combined", "other",
};

/* gettext.h's pgettext, which glibc's libintl.h does not declare: the
 * translation of MSGID under CONTEXT (xgettext extracts the calls with their
 * context), MSGID itself when it has none. */
static const char *pgettext(const char *context, const char *msgid)
{
	char key[256];
	int n = snprintf(key, sizeof(key), "%s\004%s", context, msgid);
	if (n < 0 || (size_t)n >= sizeof(key))
		return msgid;
	const char *text = gettext(key);
	return text == key ? msgid : text;
}

static const char *tr(const char *msgid)
{
	return msgid != NULL && *msgid != '\0' ? _(msgid) : msgid;
}

static void tr_array(const char **out, const char *const *msgids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = tr(msgids[i]);
}

void rs_form_text_translate(rs_form_text *out, const char *lang)
{
	*out = labels;
	out->lang = lang;
	out->blank = tr(labels.blank);
	out->exercise = tr(labels.exercise);
	out->circular = tr(labels.circular);
	tr_array(out->form_no, labels.form_no, sizeof(labels.form_no) / sizeof(labels.form_no[0]));
	tr_array(out->title, labels.title, sizeof(labels.title) / sizeof(labels.title[0]));
	tr_array(out->subject, labels.subject, sizeof(labels.subject) / sizeof(labels.subject[0]));
	out->deadline_notify = tr(labels.deadline_notify);
	out->deadline_final = tr(labels.deadline_final);
	out->deadline_final_open = tr(labels.deadline_final_open);
	out->overdue = tr(labels.overdue);
	out->utc_note = tr(labels.utc_note);
	out->note_mandatory = tr(labels.note_mandatory);
	out->note_tbsc = tr(labels.note_tbsc);
	out->note_exercises = tr(labels.note_exercises);
	out->signature = tr(labels.signature);
	out->signature05 = tr(labels.signature05);
	out->hour = tr(labels.hour);
	out->minute = tr(labels.minute);

	tr_array(out->ntf_section, labels.ntf_section, sizeof(labels.ntf_section) / sizeof(labels.ntf_section[0]));
	tr_array(out->ntf, labels.ntf, sizeof(labels.ntf) / sizeof(labels.ntf[0]));

	tr_array(out->m03_section, labels.m03_section, sizeof(labels.m03_section) / sizeof(labels.m03_section[0]));
	tr_array(out->m03, labels.m03, sizeof(labels.m03) / sizeof(labels.m03[0]));
	tr_array(out->level, labels.level, sizeof(labels.level) / sizeof(labels.level[0]));
	tr_array(out->status, labels.status, sizeof(labels.status) / sizeof(labels.status[0]));
	tr_array(out->detect, labels.detect, sizeof(labels.detect) / sizeof(labels.detect[0]));
	tr_array(out->notified, labels.notified, sizeof(labels.notified) / sizeof(labels.notified[0]));
	tr_array(out->services, labels.services, sizeof(labels.services) / sizeof(labels.services[0]));
	tr_array(out->safeguards, labels.safeguards, sizeof(labels.safeguards) / sizeof(labels.safeguards[0]));
	tr_array(out->attach, labels.attach, sizeof(labels.attach) / sizeof(labels.attach[0]));
	tr_array(out->yesno, labels.yesno, sizeof(labels.yesno) / sizeof(labels.yesno[0]));
	out->attach_iocs = tr(labels.attach_iocs);

	tr_array(out->m04_section, labels.m04_section, sizeof(labels.m04_section) / sizeof(labels.m04_section[0]));
	tr_array(out->m04, labels.m04, sizeof(labels.m04) / sizeof(labels.m04[0]));
	/* Mẫu 04 item 5's "Số ký hiệu", not Mẫu 05's column "Số lượng" */
	out->m04_ref = pgettext("Form 04, item 5: reference number of the initial report", "Number");
	out->m04_date = tr(labels.m04_date);
	out->m04_happened = tr(labels.m04_happened);
	out->m04_handled = tr(labels.m04_handled);
	out->m04_prevent = tr(labels.m04_prevent);
	out->m04_evidence = tr(labels.m04_evidence);
	out->m04_actions = tr(labels.m04_actions);

	out->m05_nation = tr(labels.m05_nation);
	out->m05_motto = tr(labels.m05_motto);
	out->m05_to = tr(labels.m05_to);
	out->m05_period = tr(labels.m05_period);
	out->m05_org = tr(labels.m05_org);
	out->m05_address = tr(labels.m05_address);
	out->m05_member = tr(labels.m05_member);
	out->m05_part1 = tr(labels.m05_part1);
	out->m05_part2 = tr(labels.m05_part2);
	out->m05_part3 = tr(labels.m05_part3);
	out->m05_part4 = tr(labels.m05_part4);
	tr_array(out->m05_cols, labels.m05_cols, sizeof(labels.m05_cols) / sizeof(labels.m05_cols[0]));
	tr_array(out->m05_rows, labels.m05_rows, sizeof(labels.m05_rows) / sizeof(labels.m05_rows[0]));
	out->m05_total = tr(labels.m05_total);
	out->m05_place_date = tr(labels.m05_place_date);
	out->m05_unclassified = tr(labels.m05_unclassified);
}
