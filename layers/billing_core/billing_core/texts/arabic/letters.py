"""The e-mails and PDFs in Arabic (R9, R36): the invoice, the reminder and the second
notice (legal-nl.md §2: the amount, the 14-day term, the concrete collection costs), and
the confirmations. Same sections, keys and values as the Dutch in ``texts.letters``.

File names stay in Latin letters (``faturah-…``, transliterated): an Arabic name in an
attachment is mangled by several mail clients (RFC 2231 names are shown as
``=?utf-8?…`` or ``ATT00001.bin``) and saved under a name a Dutch PC shows in the wrong
order; a transliteration reads the same everywhere.
"""

from __future__ import annotations

from billing_core.texts.catalogue import Section, Sections

_GREETING = "حضرة {name} المحترم/المحترمة،"
_CLOSING = "مع أطيب التحيات،"
_SIGNATURE = "فريق zorgnota، نيابةً عن {provider}"
_PAY_LINK_INTRO = "يمكنكم الدفع عبر الإنترنت باستخدام iDEAL:"
_FOOTER = "تتولى zorgnota فواتير {provider} (رمز AGB: {agb})."
_PAGE = "صفحة {page} من {pages}"
_PAY_ONLINE_AT = "ادفعوا عبر الإنترنت باستخدام iDEAL: افتحوا {url} وأدخلوا رقم مرجع الدفع."

_INVOICE: Sections = {
    "common": {
        "sender_line": "مُرسَلة من zorgnota نيابةً عن {provider}",
        "provider_in_city": "{provider} في {city}",
        "amount_due": "المبلغ المطلوب",
        "final_payment_date": "آخر موعد للدفع",
        # Not yet read by a native speaker (README, Languages); the checker's words.
        "pay_by_passed": "انقضى آخر موعد للدفع في",
        "reference": "رقم مرجع الدفع",
        "patient": "المريض",
        "birth_date": "تاريخ الميلاد",
        "reimbursement_deducted": (
            "تعوّض شركة التأمين الصحي \u2066{amount}\u2069 من هذه الفاتورة. وقد خُصم هذا المبلغ "
            "بالفعل: تدفعون فقط الجزء الذي لا تعوّضه."
        ),
        "pay_online": "ادفعوا عبر الإنترنت باستخدام iDEAL",
        "more_time": (
            "تحتاجون إلى وقت أطول؟ أدخلوا رقم مرجع الدفع (betalingskenmerk) في صفحة التحقق "
            "من الدفع على {checker_url}. هناك يمكنكم مرة واحدة طلب تأجيل الدفع مجانًا، أو "
            "الاتفاق على خطة تقسيط."
        ),
        "more_time_deferral": (
            "تحتاجون إلى وقت أطول؟ أدخلوا رقم مرجع الدفع (betalingskenmerk) في صفحة التحقق "
            "من الدفع على {checker_url}. هناك يمكنكم مرة واحدة طلب تأجيل الدفع مجانًا."
        ),
        "questions": "أسئلة عن العلاج؟ يرجى التواصل مع {provider}.",
        "phone": "الهاتف {value}",
        "email": "البريد الإلكتروني {value}",
        "hours": "أوقات الاتصال: {hours}",
        "contact_heading": "أسئلة عن العلاج؟ يرجى التواصل مع {provider}:",
        "more_information": "أسئلة شائعة: {faq}  ·  شروط الدفع: {terms}  ·  الخصوصية: {privacy}",
        # legal-nl.md §7, R37: non-contracted care is claimed first, then paid.
        "dont_pay_yet_heading": "يرجى الانتباه: لا تدفعوا هذه الفاتورة بعد",
        "dont_pay_yet": (
            "ليس لدى مقدّم الرعاية الصحية عقد مع شركة التأمين الصحي التي تتعاملون معها. "
            "لا تطلبوا خطة تقسيط بعد أيضًا. قدّموا هذه الفاتورة أولًا إلى شركة التأمين، ثم "
            "أدخلوا المبالغ الواردة في كشفها في صفحة التحقق من الدفع على {checker_url}: "
            "ستصلكم {by_channel_ar} قيمة المبلغ المعدَّل مع موعد نهائي جديد للدفع. إذا "
            "تأخرت شركة التأمين في الدفع، فاطلبوا تأجيل الدفع مجانًا في صفحة التحقق من الدفع."
        ),
        # Not yet read by a native speaker (README, Languages): legal-nl.md §7, after the
        # amount while "don't pay yet" holds.
        "pay_not_yet": (
            "لا تدفعوا بعد: ستصلكم {by_channel_ar} قيمة المبلغ المعدَّل مع موعد نهائي جديد للدفع."
        ),
    },
    "email": {
        "automated": (
            "أُرسلت هذه الرسالة تلقائيًا. ترسل zorgnota الفواتير وتستلم المدفوعات نيابةً "
            "عن مقدّمي الرعاية الصحية."
        ),
        # Not yet read by a native speaker (README, Languages): legal-nl.md §7, what is
        # due while "don't pay yet" holds; pay_not_yet follows.
        "amount_now": "المبلغ الآن \u2066{amount}\u2069.",
        # Not yet read by a native speaker (README, Languages): under a running arrangement
        # (R15, R36), the next term and the extra one; the labels are the checker's words.
        "arrangement_open": "يتبقى \u2066{amount}\u2069 غير مدفوع.",
        "arrangement_next_term": (
            "تستمر خطة التقسيط كما اتُّفق عليها: قسطكم التالي \u2066{term}\u2069، وموعده الأقصى {date}."
        ),
        "arrangement_next_term_passed": "تستمر خطة التقسيط كما اتُّفق عليها: القسط المستحق \u2066{term}\u2069.",
        "arrangement_rest_term": (
            "بعد قسطكم الأخير تدفعون \u2066{amount}\u2069 إضافيًا كقسط إضافي، في موعد أقصاه {date}."
        ),
        # The account as the letters' pay_transfer names it (audit letters58); this
        # sentence not yet read by a native speaker (README, Languages).
        "transfer_to_account": (
            "أو حوّلوا المبلغ إلى رقم الحساب {iban} باسم {holder}، مع ذكر رقم مرجع الدفع "
            "(betalingskenmerk) {reference}."
        ),
        "arrangement_term": "القسط التالي",
        "arrangement_pay_by": "موعد القسط التالي",
        "arrangement_pay_by_passed": "انقضى موعد القسط المستحق في",
        # Not yet read by a native speaker (README, Languages): R21, R13, legal-nl.md §2-§5.
        "left_costs_and_interest": (
            "لم يعد عليكم دفع أي شيء مقابل العلاج. المبلغ المتبقي هو تكاليف التحصيل "
            "والفائدة القانونية."
        ),
        "left_costs": "لم يعد عليكم دفع أي شيء مقابل العلاج. المبلغ المتبقي هو تكاليف التحصيل.",
        "left_interest": (
            "لم يعد عليكم دفع أي شيء مقابل العلاج. المبلغ المتبقي هو الفائدة القانونية."
        ),
        # R15: the fee named as the plan's (the checker's "تكلفة خطة التقسيط").
        "left_fee": "لم يعد عليكم دفع أي شيء مقابل العلاج. المبلغ المتبقي هو تكلفة خطة التقسيط.",
        "left_costs_and_fee": (
            "لم يعد عليكم دفع أي شيء مقابل العلاج. المبلغ المتبقي هو تكاليف التحصيل "
            "وتكلفة خطة التقسيط."
        ),
        "left_fee_and_interest": (
            "لم يعد عليكم دفع أي شيء مقابل العلاج. المبلغ المتبقي هو تكلفة خطة التقسيط "
            "والفائدة القانونية."
        ),
        "left_costs_fee_and_interest": (
            "لم يعد عليكم دفع أي شيء مقابل العلاج. المبلغ المتبقي هو تكاليف التحصيل "
            "وتكلفة خطة التقسيط والفائدة القانونية."
        ),
    },
    "email.invoice": {
        "subject": "فاتورة من {provider} - رقم مرجع الدفع {reference}",
        "greeting": _GREETING,
        "intro": "نرسل إليكم نيابةً عن {provider} فاتورة العلاج الذي تلقيتموه.",
        "intro_for_patient": "نرسل إليكم نيابةً عن {provider} فاتورة علاج {patient}.",
        "request": "نرجو منكم دفع \u2066{amount}\u2069 في موعد أقصاه {date}.",
        "pay_link_intro": "يمكنكم الدفع فورًا عبر الإنترنت باستخدام iDEAL:",
        "attachment": (
            "تجدون في المرفق (PDF) الفاتورة مع العلاجات وبيانات الدفع بالتحويل المصرفي."
        ),
        "statement_link_intro": "أرسلوا كشف شركة التأمين في صفحة التحقق من الدفع:",
        "send_statement": "إرسال الكشف",
        "attachment_to_claim": (
            "تجدون في المرفق (PDF) الفاتورة مع العلاجات: قدّموها إلى شركة التأمين الصحي."
        ),
        "closing": _CLOSING,
        "signature": _SIGNATURE,
    },
    "pdf.invoice": {
        "title": "فاتورة",
        "invoice_date": "تاريخ الفاتورة",
        "agb_code": "رمز AGB لمقدّم الرعاية",
        "intro": "نيابةً عن {provider} نطالب بقيمة العلاجات التالية.",
        "col_date": "التاريخ",
        "col_code": "الرمز",
        "col_description": "الوصف",
        "col_amount": "المبلغ",
        "col_reimbursed": "عوّضته شركة التأمين",
        "col_to_pay": "المطلوب دفعه",
        "quantity": "{quantity} × {unit_price}",
        "total": "المجموع",
        "reimbursed_total": "ما تعوّضه شركة التأمين الصحي",
        "payment_heading": "طريقة الدفع",
        "pay_transfer": (
            "حوّلوا \u2066{amount}\u2069 في موعد أقصاه {date} إلى رقم الحساب {iban} باسم {holder}، مع "
            "ذكر رقم مرجع الدفع (betalingskenmerk) {reference}."
        ),
        "pay_online_at": (
            "أو ادفعوا عبر الإنترنت باستخدام iDEAL: افتحوا {url} وأدخلوا رقم مرجع الدفع."
        ),
        # Not yet read by a native speaker (README, Languages): "{by_channel_ar}" is
        # "بالبريد الإلكتروني" or "بالبريد العادي" (catalogue.by_channel, R7), here and in
        # dont_pay_yet.
        "pay_adjusted_transfer": (
            "ادفعوا فقط المبلغ المعدَّل الذي يصلكم {by_channel_ar}، في موعد أقصاه التاريخ "
            "المذكور معه: حوّلوه إلى رقم الحساب {iban} باسم {holder}، مع ذكر رقم مرجع الدفع "
            "(betalingskenmerk) {reference}."
        ),
        "send_statement_at": (
            "أرسلوا كشف شركة التأمين في صفحة التحقق من الدفع: افتحوا {url} وأدخلوا رقم مرجع الدفع."
        ),
        "qr_caption_statement": "امسحوا الرمز لإرسال الكشف",
        "footer": _FOOTER,
        "page": _PAGE,
        "qr_caption": "امسحوا الرمز للدفع عبر الإنترنت",
        # Not yet read by a native speaker (README, Languages): the copy served later (R36),
        # its heading saying how it was sent (R7).
        "copy_heading": "هذه هي الفاتورة كما أرسلناها {by_channel_ar} في {date}",
        "copy_due": (
            "تغيّرت الفاتورة منذ ذلك الحين. المبلغ المطلوب الآن \u2066{amount}\u2069، وموعده الأقصى {date}: "
            "هذا المبلغ وهذا الموعد هما المعتمدان، لا ما يرد أدناه."
        ),
        "copy_due_passed": (
            "تغيّرت الفاتورة منذ ذلك الحين. المبلغ المطلوب الآن \u2066{amount}\u2069: هذا المبلغ هو المعتمد، "
            "لا ما يرد أدناه."
        ),
        "copy_next_term": (
            "تغيّرت الفاتورة منذ ذلك الحين. خطة التقسيط سارية: قسطكم التالي \u2066{amount}\u2069، وموعده "
            "الأقصى {date}."
        ),
        "copy_nothing_due": "تغيّرت الفاتورة منذ ذلك الحين: لم يبقَ أي مبلغ مستحق، ولا يلزمكم دفع شيء.",
        # Not yet read by a native speaker (README, Languages): R17, legal-nl.md §7.
        "copy_coulance_decision": (
            "تغيّرت الفاتورة منذ ذلك الحين: استلمنا كشف شركة التأمين الصحي، ويقرّر مقدّم الرعاية "
            "الصحية الآن المبلغ المعدَّل. سيصلكم {by_channel_ar} مع موعد نهائي جديد للدفع. حتى "
            "ذلك الحين لا تدفعوا بعد."
        ),
        # Not yet read by a native speaker (README, Languages): R7, the adjusted amount
        # comes otherwise than the invoice as sent said.
        "copy_comes_by": (
            "تغيّرت الفاتورة منذ ذلك الحين: ستصلكم {by_channel_ar} قيمة المبلغ المعدَّل مع موعد "
            "نهائي جديد للدفع. حتى ذلك الحين لا تدفعوا بعد."
        ),
        # Not yet read by a native speaker (README, Languages): legal-nl.md §7, the amount
        # changed while "don't pay yet" holds; pay_not_yet follows.
        "copy_amount_now": "تغيّرت الفاتورة منذ ذلك الحين: المبلغ الآن \u2066{amount}\u2069.",
        "copy_checker": "تجدون وضع الفاتورة اليوم في صفحة التحقق من الدفع على {url}.",
        "file_name": "faturah-{reference}.pdf",
    },
}

# How to pay: the same in the reminder and the second notice.
_HOW_TO_PAY: Section = {
    "how_heading": "طريقة الدفع",
    "pay_link_intro": "يمكنكم الدفع فورًا عبر الإنترنت باستخدام iDEAL:",
    "pay_links_intro": "ادفعوا عبر الإنترنت باستخدام iDEAL، لكل فاتورة على حدة:",
    "pay_transfer": (
        "أو حوّلوا \u2066{amount}\u2069 إلى رقم الحساب {iban} باسم {holder}، مع ذكر رقم مرجع الدفع "
        "(betalingskenmerk) {reference}."
    ),
    "pay_transfer_several": (
        "أو حوّلوا مبلغ كل فاتورة على حدة إلى رقم الحساب {iban} باسم {holder}، مع ذكر رقم "
        "مرجع الدفع (betalingskenmerk) الخاص بتلك الفاتورة، حتى نعرف أي فاتورة تدفعون."
    ),
    "arrangement": (
        "لا تستطيعون دفع المبلغ كله دفعة واحدة؟ أدخلوا رقم مرجع الدفع في صفحة التحقق من "
        "الدفع على {checker_url} واتفقوا على خطة تقسيط في موعد أقصاه {date}."
    ),
    # R15: instead, when the checker would refuse one. Not yet reviewed by a native speaker.
    "arrangement_via_practice": (
        "لا تستطيعون دفع المبلغ كله دفعة واحدة؟ يرجى التواصل مع {provider} في موعد أقصاه {date}."
    ),
}

_DUNNING: Sections = {
    "email.dunning_reminder": {
        "subject": "تذكير: فاتورة {provider} لم تُدفع بعد - رقم مرجع الدفع {reference}",
        "subject_several": "تذكير: {count} من فواتير {provider} لم تُدفع بعد",
        "greeting": _GREETING,
        "intro": (
            "وفقًا لسجلاتنا لم تُدفع فاتورة {provider} بعد (أو لم تُدفع كاملة). وقد انقضى "
            "آخر موعد للدفع."
        ),
        "intro_several": (
            "وفقًا لسجلاتنا لم تُدفع هذه الفواتير الـ{count} من {provider} بعد (أو لم تُدفع "
            "كاملة). وقد انقضى آخر موعد للدفع."
        ),
        "col_reference": "رقم مرجع الدفع",
        "col_invoice_date": "تاريخ الفاتورة",
        "col_due": "المبلغ غير المدفوع",
        # R15: the fee of a cancelled arrangement still owed, its own line under the invoice
        "fee_line": "تكلفة خطة التقسيط",
        "total_due": "المجموع المطلوب دفعه",
        # art. 6:96 lid 6 BW: the amount, the term (the phrase and the computed date).
        "request": "نرجو منكم دفع \u2066{amount}\u2069 {term}، أي في موعد أقصاه {date}.",
        # art. 6:96 lid 6 BW: the concrete collection costs if the term passes.
        "costs": (
            "إذا لم تدفعوا خلال هذه المهلة، فستكونون ملزمين إضافةً إلى ذلك بدفع \u2066{costs}\u2069 "
            "تكاليف تحصيل خارج القضاء (المادة 6:96 من القانون المدني الهولندي، محسوبة وفق "
            "الجدول القانوني على أصل الدين غير المدفوع)."
        ),
        "interest": (
            "وسنحتسب عندئذ أيضًا الفائدة القانونية (المادة 6:119 من القانون المدني "
            "الهولندي) ابتداءً من {date}: أول يوم من أيام التأخر."
        ),
        "interest_each": (
            "وسنحتسب عندئذ أيضًا الفائدة القانونية (المادة 6:119 من القانون المدني "
            "الهولندي)، لكل فاتورة ابتداءً من أول يوم من أيام التأخر فيها: {dates}."
        ),
        "interest_each_item": "{reference} ابتداءً من {date}",
        **_HOW_TO_PAY,
        "already_paid": "هل دفعتم في هذه الأثناء؟ إذن يرجى تجاهل رسالة التذكير هذه.",
        "attachment": "تجدون في المرفق (PDF) رسالة التذكير هذه في صورة خطاب.",
        "closing": _CLOSING,
        "signature": _SIGNATURE,
    },
    "pdf.dunning_reminder": {
        "title": "تذكير بالدفع",
        "file_name": "tadhkir-{reference}.pdf",
        "letter_date": "التاريخ",
        "pay_by": "ادفعوا في موعد أقصاه",
        "pay_online_at": _PAY_ONLINE_AT,
        "footer": _FOOTER,
        "page": _PAGE,
    },
    "email.second_notice": {
        "subject": "إنذار أخير: فاتورة {provider} - رقم مرجع الدفع {reference}",
        "subject_several": "إنذار أخير: {count} من فواتير {provider}",
        "greeting": _GREETING,
        "intro": (
            "أرسلنا إليكم في {date} رسالة تذكير بشأن فاتورة {provider}. وقد انتهت مهلتها في "
            "{final_date} دون أن نستلم دفعتكم (كاملة)."
        ),
        "intro_several": (
            "أرسلنا إليكم في {date} رسالة تذكير بشأن {count} من فواتير {provider}. وقد "
            "انتهت مهلتها في {final_date} دون أن نستلم دفعتكم (كاملة)."
        ),
        "now_due": (
            "لذلك أصبحتم الآن ملزمين أيضًا بدفع تكاليف التحصيل خارج القضاء التي أُعلن عنها "
            "(المادة 6:96 من القانون المدني الهولندي) والفائدة القانونية (المادة 6:119 من "
            "القانون المدني الهولندي). المطلوب منكم الآن:"
        ),
        # Instead, when they are lower than the reminder announced (now_due_key). Not yet
        # read by a native speaker (README, Languages).
        "now_due_costs_at_term": (
            "لذلك أصبحتم الآن ملزمين أيضًا بدفع تكاليف التحصيل خارج القضاء (المادة 6:96 من "
            "القانون المدني الهولندي) عن المبلغ الذي بقي مستحقًا عند انتهاء المهلة، والفائدة "
            "القانونية (المادة 6:119 من القانون المدني الهولندي). المطلوب منكم الآن:"
        ),
        # Instead, when the letter's costs are € 0,00 (legal-nl.md §2-§3). Not yet read by a
        # native speaker (README, Languages).
        "now_due_interest": (
            "لذلك أصبحتم الآن ملزمين أيضًا بدفع الفائدة القانونية (المادة 6:119 من القانون "
            "المدني الهولندي). المطلوب منكم الآن:"
        ),
        # Instead, when its costs and its interest are both € 0,00 (now_due_key). Not yet
        # read by a native speaker (README, Languages).
        "now_due_open": "لذلك لا يزال مبلغ مستحقًا لم يُسدَّد بعد. المطلوب منكم الآن:",
        "col_reference": "رقم مرجع الدفع",
        "col_principal": "المبلغ الأصلي",
        "col_costs": "تكاليف التحصيل",
        "col_fee": "تكلفة خطة التقسيط",  # R15: not collection costs (legal-nl.md §2)
        "col_interest": "الفائدة",
        "col_total": "المجموع",
        "total_due": "المجموع المطلوب دفعه",
        # Under the amounts when some of the costs charged are paid by now (R38). Not yet
        # read by a native speaker (README, Languages).
        "costs_paid_note": (
            "من تكاليف التحصيل (\u2066{charged}\u2069) سُدِّد بالفعل \u2066{paid}\u2069؛ ولا يشمل المجموع إلا ما لا "
            "يزال مستحقًا."
        ),
        # What of them a stop forgave (R21). Not yet read by a native speaker (README,
        # Languages).
        "costs_forgiven_note": (
            "من تكاليف التحصيل (\u2066{charged}\u2069) تم التنازل عن \u2066{forgiven}\u2069؛ ولا يشمل المجموع إلا "
            "ما لا يزال مستحقًا."
        ),
        "interest_note": (
            "حُسبت الفائدة القانونية حتى {date} شاملًا. وهي تستمر حتى اليوم الذي نستلم فيه "
            "دفعتكم؛ وتجدون المبلغ الحالي في صفحة التحقق من الدفع."
        ),
        # Instead, when no principal is open and some interest is (interest_note_key,
        # legal-nl.md §4). Not yet read by a native speaker (README, Languages).
        "interest_note_stopped": (
            "حُسبت الفائدة القانونية حتى {date} شاملًا. وبما أنه لم يعد هناك مبلغ أصلي غير "
            "مسدَّد، فلن تُضاف أي فائدة أخرى."
        ),
        # Instead, when the interest is € 0,00 (interest_note_key). Not yet read by a native
        # speaker (README, Languages).
        "interest_note_none": (
            "لا توجد فائدة قانونية مستحقة حتى {date} شاملًا. لكنها تستمر في الاحتساب على "
            "المبلغ الأصلي غير المسدَّد حتى اليوم الذي نستلم فيه دفعتكم؛ وتجدون المبلغ الحالي "
            "في صفحة التحقق من الدفع."
        ),
        "request": (
            "نرجو منكم دفع \u2066{amount}\u2069. احرصوا على أن تصلنا دفعتكم في موعد أقصاه {date}."
        ),
        "handover": (
            "إذا لم نستلم المبلغ كله بحلول ذلك الموعد، فسنحيل المطالبة في {date} إلى مكتب "
            "تحصيل الديون (incassobureau)، الذي سيتولى تحصيلها بعد ذلك نيابةً عن {provider}. "
            "ولا يجوز عندئذ إضافة تكاليف أخرى إلا بالقدر الذي يسمح به القانون."
        ),
        **_HOW_TO_PAY,
        "already_paid": "هل دفعتم في هذه الأثناء؟ إذن يرجى تجاهل هذه الرسالة.",
        "attachment": "تجدون في المرفق (PDF) هذا الإنذار في صورة خطاب.",
        "closing": _CLOSING,
        "signature": _SIGNATURE,
    },
    "pdf.second_notice": {
        "title": "إنذار أخير",
        "file_name": "indhar-akhir-{reference}.pdf",
        "letter_date": "التاريخ",
        "pay_by": "ادفعوا في موعد أقصاه",
        "pay_online_at": _PAY_ONLINE_AT,
        "footer": _FOOTER,
        "page": _PAGE,
    },
}

_NEW_AMOUNT = "المتبقي عليكم الآن \u2066{amount}\u2069، في موعد أقصاه {date}."
# Not yet read by a native speaker (README, Languages): once the date has passed (R36).
_NEW_AMOUNT_PASSED = "المتبقي عليكم الآن \u2066{amount}\u2069."
_OVERPAID = "لقد دفعتم \u2066{amount}\u2069 زيادةً عن المطلوب. سنعيد إليكم هذا المبلغ."

# The agency collects a claim handed over (R22, R34): pay it, not our link.
_WITH_AGENCY = (
    "يتبقى \u2066{amount}\u2069 غير مدفوع. أُحيلت هذه الفاتورة إلى مكتب تحصيل الديون "
    "(incassobureau). يرجى التواصل مع مكتب تحصيل الديون بشأن الدفع."
)

_CONFIRMATIONS: Sections = {
    "email.stop_confirmation": {
        "subject": "تم تخفيض فاتورتكم - رقم مرجع الدفع {reference}",
        "greeting": _GREETING,
        "lowered": "خفّض {provider} مبلغ فاتورتكم. لن تصلكم فاتورة جديدة.",
        "after_statement": (
            "استلمنا كشف شركة التأمين الصحي وعدّلنا مبلغ فاتورتكم بناءً عليه. لن تصلكم فاتورة جديدة."
        ),
        "new_amount": _NEW_AMOUNT,
        "new_amount_passed": _NEW_AMOUNT_PASSED,
        "still_open_with_agency": _WITH_AGENCY,
        "nothing_left": "لم يبقَ أي مبلغ مستحق: لا يلزمكم دفع شيء.",
        "pay_link_intro": _PAY_LINK_INTRO,
        "closing": _CLOSING,
        "signature": _SIGNATURE,
    },
    "email.deferral_confirmation": {
        "subject": "تأجيل الدفع - رقم مرجع الدفع {reference}",
        "greeting": _GREETING,
        "granted": "حصلتم على تأجيل دفع فاتورة {provider}.",
        "new_date": (
            "آخر موعد جديد للدفع هو {date}. نرجو منكم دفع \u2066{amount}\u2069 في موعد أقصاه ذلك اليوم."
        ),
        "once": (
            "تأجيل الدفع ممكن مرة واحدة لكل فاتورة. إذا تعذّر عليكم الدفع في ذلك التاريخ، "
            "يمكنكم الاتفاق على خطة تقسيط في صفحة التحقق من الدفع."
        ),
        "once_via_practice": (
            "تأجيل الدفع ممكن مرة واحدة لكل فاتورة. إذا تعذّر عليكم الدفع في ذلك التاريخ، "
            "يرجى التواصل مع {provider}."
        ),
        "pay_link_intro": _PAY_LINK_INTRO,
        "closing": _CLOSING,
        "signature": _SIGNATURE,
    },
    "email.arrangement_confirmation": {
        "subject": "خطة التقسيط الخاصة بكم - رقم مرجع الدفع {reference}",
        "greeting": _GREETING,
        "agreed": (
            "اتفقتم على خطة تقسيط لفاتورة {provider}. تدفعون \u2066{total}\u2069 على {count} من الأقساط الشهرية."
        ),
        "fee": "يشمل هذا المبلغ \u2066{fee}\u2069 تكلفة خطة التقسيط.",
        "interest": (
            "ويشمل أيضًا \u2066{interest}\u2069 فوائد قانونية: الفوائد حتى تاريخ استحقاق كل قسط."
        ),
        "schedule_heading": "أقساطكم",
        "col_due": "في موعد أقصاه",
        "col_term_amount": "المبلغ",
        # The account as the letters' pay_transfer names it (audit letters57); this
        # sentence not yet read by a native speaker (README, Languages).
        "how": (
            "ادفعوا كل قسط في موعده باستخدام iDEAL عبر صفحة التحقق من الدفع، أو حوّلوا "
            "المبلغ إلى رقم الحساب {iban} باسم {holder}، مع ذكر رقم مرجع الدفع "
            "(betalingskenmerk) {reference}."
        ),
        "missed": (
            "يرجى الانتباه: إذا تأخرتم في دفع قسط أكثر من 14 يومًا، تسقط خطة التقسيط، "
            "وتصلكم عندئذ رسائل تذكير من جديد بالمبلغ المتبقي."
        ),
        "missed_after_costs": (
            "يرجى الانتباه: إذا تأخرتم في دفع قسط أكثر من 14 يومًا، تسقط خطة التقسيط، "
            "ويُحال عندئذ المبلغ المتبقي إلى مكتب تحصيل الديون (incassobureau)."
        ),
        "pay_link_intro": _PAY_LINK_INTRO,
        "closing": _CLOSING,
        "signature": _SIGNATURE,
    },
    "email.objection_acknowledgement": {
        "subject": "استلمنا اعتراضكم - رقم مرجع الدفع {reference}",
        # No name: written when this went to the address typed in the form. Since issue
        # 13.3 it goes only to the invoice's own e-mail address (services.patient.
        # file_objection), never to the one typed (R29).
        "greeting": "السيد الفاضل / السيدة الفاضلة،",
        "received": (
            "استلمنا في {date} اعتراضكم على فاتورة {provider} ذات رقم مرجع الدفع {reference}."
        ),
        "next_step": "سيراجع {provider} اعتراضكم ويتواصل معكم.",
        "still_due": (
            "الاعتراض لا يوقف الدفع. وما لم يُبلغكم {provider} بغير ذلك، نرجو منكم دفع المبلغ "
            "في موعد أقصاه {date}."
        ),
        # Not yet read by a native speaker (README, Languages).
        "still_due_passed": (
            "الاعتراض لا يوقف الدفع. وما لم يُبلغكم {provider} بغير ذلك، نرجو منكم دفع المبلغ."
        ),
        # Not yet read by a native speaker (README, Languages): under a running arrangement.
        "still_due_term": (
            "الاعتراض لا يوقف الدفع. وما لم يُبلغكم {provider} بغير ذلك، نرجو منكم دفع أقساط "
            "خطة التقسيط كما اتُّفق عليها: القسط التالي في موعد أقصاه {date}."
        ),
        "still_due_term_passed": (
            "الاعتراض لا يوقف الدفع. وما لم يُبلغكم {provider} بغير ذلك، نرجو منكم دفع أقساط "
            "خطة التقسيط كما اتُّفق عليها، بدءًا بالقسط المستحق."
        ),
        "still_due_rest_term": "نرجو منكم دفع القسط الإضافي بعد قسطكم الأخير في موعد أقصاه {date}.",
        # Not yet read by a native speaker (README, Languages): paid or stopped (OBJ-1).
        "nothing_due": "لم يعد هناك أي مبلغ مستحق على هذه الفاتورة. لا يلزمكم دفع أي شيء.",
        # Not yet read by a native speaker (README, Languages): with the agency (R22, R34).
        "still_due_with_agency": (
            "الاعتراض لا يوقف الدفع. أُحيلت هذه الفاتورة إلى مكتب تحصيل الديون (incassobureau). "
            "وما لم يُبلغكم {provider} بغير ذلك، يرجى التواصل مع مكتب تحصيل الديون بشأن الدفع."
        ),
        "closing": _CLOSING,
        "signature": _SIGNATURE,
    },
    "email.payment_received": {
        "subject": "استلمنا دفعتكم - رقم مرجع الدفع {reference}",
        "greeting": _GREETING,
        "received": "استلمنا في {date} دفعتكم البالغة \u2066{amount}\u2069 لفاتورة {provider}. شكرًا لكم.",
        "paid_in_full": "وبذلك تكون الفاتورة مدفوعة بالكامل.",
        "still_open": "يتبقى \u2066{amount}\u2069 غير مدفوع. نرجو منكم دفعه في موعد أقصاه {date}.",
        # Not yet read by a native speaker (README, Languages): the two "_passed" below.
        "still_open_passed": "يتبقى \u2066{amount}\u2069 غير مدفوع.",
        "still_open_with_agency": _WITH_AGENCY,
        "next_term": (
            "يتبقى \u2066{amount}\u2069 غير مدفوع. قسطكم التالي \u2066{term}\u2069، وموعده الأقصى {date}."
        ),
        "next_term_passed": "يتبقى \u2066{amount}\u2069 غير مدفوع. القسط المستحق \u2066{term}\u2069.",
        "overpaid": _OVERPAID,
        "pay_link_intro": _PAY_LINK_INTRO,
        "closing": _CLOSING,
        "signature": _SIGNATURE,
    },
    # A later upload credited a line of the invoice, or the insurer's retour changed what it
    # pays (issue 7).
    "email.invoice_corrected": {
        "subject": "تم تعديل فاتورتكم - رقم مرجع الدفع {reference}",
        "greeting": _GREETING,
        "by_declaration": (
            "صحّح {provider} أحد العلاجات في فاتورتكم، ولذلك عُدّل مبلغ الفاتورة. لن تصلكم "
            "فاتورة جديدة."
        ),
        "by_retour": (
            "أبلغتنا شركة التأمين الصحي بما تعوّضه من فاتورة {provider}، ولذلك عُدّل المبلغ "
            "الذي تدفعونه بأنفسكم. لن تصلكم فاتورة جديدة."
        ),
        # Not yet reviewed by a native speaker.
        "by_correction": (
            "خفّض {provider} مبلغ فاتورتكم سابقًا. كان ذلك خطأً وقد أُلغي، ولذلك ارتفع المبلغ "
            "من جديد. لن تصلكم فاتورة جديدة."
        ),
        "new_amount": _NEW_AMOUNT,
        "new_amount_passed": _NEW_AMOUNT_PASSED,
        "still_open_with_agency": _WITH_AGENCY,
        "nothing_left": "لم يبقَ أي مبلغ مستحق: لا يلزمكم دفع أي شيء آخر.",
        "overpaid": _OVERPAID,
        "pay_link_intro": _PAY_LINK_INTRO,
        "closing": _CLOSING,
        "signature": _SIGNATURE,
    },
    # R17, legal-nl.md §7: the statement leaves the amount as it is: the practice declined
    # the coulance it proposed, or the policy had nothing to forgive ("unchanged").
    # Not yet reviewed by a native speaker.
    "email.coulance_declined": {
        "subject": "تبقى فاتورتكم دون تغيير - رقم مرجع الدفع {reference}",
        "greeting": _GREETING,
        "declined": "استلمنا كشف شركة التأمين الصحي. قرّر {provider} عدم تخفيض مبلغ فاتورتكم.",
        "unchanged": "استلمنا كشف شركة التأمين الصحي. لذلك يبقى مبلغ فاتورتكم دون تغيير.",
        "new_amount": _NEW_AMOUNT,
        "new_amount_passed": _NEW_AMOUNT_PASSED,
        "still_open_with_agency": _WITH_AGENCY,
        "nothing_left": "لم يبقَ أي مبلغ مستحق: لا يلزمكم دفع أي شيء آخر.",
        "pay_link_intro": _PAY_LINK_INTRO,
        "closing": _CLOSING,
        "signature": _SIGNATURE,
    },
}

ARABIC: Sections = {**_INVOICE, **_DUNNING, **_CONFIRMATIONS}
