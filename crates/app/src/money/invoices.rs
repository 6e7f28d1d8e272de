//! Invoices as documents: a payment's printable data ([`InvoiceData`]) for the print page,
//! and the same as a PDF (through `bursar-pdf`) for download and e-mail. Both are in the
//! client's language; both show the issuing company's name, address, tax number and bank
//! details, the payer, the number, the dates, the lines, the tax and the total.

use super::accounts::may_read_money;
use super::methods::PaymentGateway;
use super::payments::{PaymentView, view_payment};
use crate::error::AppError;
use crate::mail::{MailTemplate, OutgoingMail, enqueue};
use crate::ports::{Attachment, CompanyRecord, PayerRecord, Tx};
use crate::{App, Principal};
use bursar_domain::access::AccountKind;
use bursar_domain::functions::f;
use bursar_domain::history::Changes;
use bursar_domain::identity::Email;
use bursar_domain::payments::PaymentStatus;
use bursar_domain::{Locale, PaymentId};
use jiff::tz::TimeZone;

/// Everything an invoice shows, already in the client's language.
#[derive(Clone, Debug)]
pub struct InvoiceData {
    pub locale: Locale,
    pub payment: PaymentView,
    pub company: Option<CompanyRecord>,
    pub payer: Option<PayerRecord>,
    /// The payment instructions of its method (bank details for a bank transfer).
    pub instructions: Vec<String>,
    pub method_name: String,
    pub status: String,
    pub issued_on: String,
    pub paid_on: Option<String>,
    /// (description, amount)
    pub lines: Vec<(String, String)>,
    /// The tax lines: (rule names and rate, amount).
    pub taxes: Vec<(String, String)>,
    pub tax_total: String,
    pub total: String,
}

fn status_text(s: PaymentStatus, locale: Locale) -> &'static str {
    match (s, locale) {
        (PaymentStatus::New, Locale::En) => "Awaiting payment",
        (PaymentStatus::New, Locale::Ru) => "Ожидает оплаты",
        (PaymentStatus::Paid, Locale::En) => "Paid",
        (PaymentStatus::Paid, Locale::Ru) => "Оплачен",
        (PaymentStatus::Canceled, Locale::En) => "Canceled",
        (PaymentStatus::Canceled, Locale::Ru) => "Отменён",
        (PaymentStatus::Refunded, Locale::En) => "Refunded",
        (PaymentStatus::Refunded, Locale::Ru) => "Возвращён",
    }
}

pub(crate) async fn invoice_data(tx: &mut dyn Tx, id: PaymentId) -> Result<InvoiceData, AppError> {
    let p = tx
        .payment(id)
        .await?
        .ok_or(AppError::NotFound { what: "payment" })?;
    let client = tx
        .client_by_id(p.client_id)
        .await?
        .ok_or(AppError::NotFound { what: "client" })?;
    let locale = client.locale;
    let company = match p.company_id {
        Some(c) => tx.company(c).await?,
        None => None,
    };
    let payer = match p.payer_id {
        Some(id) => tx
            .payers_of(p.client_id)
            .await?
            .into_iter()
            .find(|x| x.id == id),
        None => None,
    };
    let account = tx.account(p.account_id).await?;
    let provider = match &account {
        Some(a) => tx.provider(a.provider_id).await?,
        None => None,
    };
    let tax_lines = match &provider {
        Some(pr) => crate::taxes::payment_tax_lines(tx, &p, pr).await?,
        None => Vec::new(),
    };
    let provider = provider.map(|p| p.name).unwrap_or_default();
    let view = view_payment(tx, p).await?;
    let p = &view.payment;
    let money = |minor: i64| format!("{} {}", view.amount(minor), p.currency_code);
    let date = |t: jiff::Timestamp| t.to_zoned(TimeZone::UTC).date().to_string();
    let description = match (p.refund_of.is_some(), locale) {
        (true, Locale::En) => format!("Refund to the personal account with {provider}"),
        (true, Locale::Ru) => format!("Возврат с лицевого счёта у {provider}"),
        (false, Locale::En) => format!("Payment to the personal account with {provider}"),
        (false, Locale::Ru) => format!("Пополнение лицевого счёта у {provider}"),
    };
    let (method_name, instructions) = match &view.method {
        Some(m) => (
            match locale {
                Locale::En => m.name_en.clone(),
                Locale::Ru => m.name_ru.clone(),
            },
            m.kind.instructions(company.as_ref(), locale),
        ),
        None => (String::new(), Vec::new()),
    };
    Ok(InvoiceData {
        locale,
        company,
        payer,
        instructions,
        method_name,
        status: status_text(p.status, locale).to_owned(),
        issued_on: date(p.created_at),
        paid_on: p.paid_at.map(date),
        lines: vec![(description, money(p.amount_minor))],
        taxes: tax_lines
            .iter()
            .map(|t| (crate::taxes::line_label(t, locale), money(t.minor)))
            .collect(),
        tax_total: money(tax_lines.iter().map(|t| t.minor).sum()),
        total: money(p.amount_minor),
        payment: view,
    })
}

/// Renders the PDF on a blocking thread: shaping and compressing is CPU work.
pub(crate) async fn render_pdf(data: &InvoiceData) -> Result<Vec<u8>, AppError> {
    let company = data.company.as_ref();
    let doc = bursar_pdf::InvoiceDocument {
        lang: match data.locale {
            Locale::En => bursar_pdf::Lang::En,
            Locale::Ru => bursar_pdf::Lang::Ru,
        },
        number: data.payment.payment.number.clone(),
        status: data.status.clone(),
        issued_on: data.issued_on.clone(),
        paid_on: data.paid_on.clone(),
        seller_name: company.map(|c| c.name.clone()).unwrap_or_default(),
        seller_address: company.map(|c| c.address.clone()).unwrap_or_default(),
        seller_tax_number: company
            .and_then(|c| c.tax_number.clone())
            .unwrap_or_default(),
        seller_bank_details: company
            .and_then(|c| c.bank_details.clone())
            .unwrap_or_default(),
        payer_name: data
            .payer
            .as_ref()
            .map(|p| p.name.clone())
            .unwrap_or_else(|| data.payment.client_name.clone()),
        payer_address: data
            .payer
            .as_ref()
            .and_then(|p| p.address.clone())
            .unwrap_or_default(),
        payer_tax_number: data
            .payer
            .as_ref()
            .and_then(|p| p.tax_number.clone())
            .unwrap_or_default(),
        payment_method: data.method_name.clone(),
        lines: data
            .lines
            .iter()
            .map(|(description, amount)| bursar_pdf::InvoiceLine {
                description: description.clone(),
                quantity: "1".to_owned(),
                amount: amount.clone(),
                tax: String::new(),
            })
            .collect(),
        taxes: data.taxes.clone(),
        tax_total: data.tax_total.clone(),
        total: data.total.clone(),
        comment: data.payment.payment.comment.clone(),
    };
    tokio::task::spawn_blocking(move || bursar_pdf::render_invoice(&doc))
        .await
        .map_err(|e| AppError::internal_in("invoice pdf", e))?
        .map_err(|e| AppError::internal_in("invoice pdf", e))
}

impl App {
    /// The invoice of a payment, for the print page: staff with the print right, or the
    /// client's own users with the finances right.
    pub async fn invoice(&self, who: &Principal, id: PaymentId) -> Result<InvoiceData, AppError> {
        let mut tx = self.store.snapshot().await?;
        let data = invoice_data(tx.as_mut(), id).await?;
        tx.commit().await?;
        may_read_money(who, data.payment.payment.client_id)?;
        if who.kind() == AccountKind::Staff {
            who.require(f::PAYMENT_PRINT)?;
        }
        Ok(data)
    }

    /// The invoice as a PDF, with its file name.
    pub async fn invoice_pdf(
        &self,
        who: &Principal,
        id: PaymentId,
    ) -> Result<(String, Vec<u8>), AppError> {
        let data = self.invoice(who, id).await?;
        let bytes = render_pdf(&data).await?;
        Ok((
            format!("invoice-{}.pdf", data.payment.payment.number),
            bytes,
        ))
    }
}

impl App {
    /// E-mails the invoice with its PDF attached, through the outbox: to the payer's
    /// e-mail for documents when it has one, else to the client's. The PDF is rendered before
    /// the transaction and stored with the mail, so the mail is exactly what was sent.
    pub async fn send_invoice(&self, who: &Principal, id: PaymentId) -> Result<String, AppError> {
        who.require(f::PAYMENT_SEND)?;
        let (data, client_email, client_name) = {
            let mut tx = self.store.snapshot().await?;
            let data = invoice_data(tx.as_mut(), id).await?;
            let client = tx
                .client_by_id(data.payment.payment.client_id)
                .await?
                .ok_or(AppError::NotFound { what: "client" })?;
            tx.commit().await?;
            (data, client.email, client.name)
        };
        let to = match data.payer.as_ref().and_then(|p| p.email.as_deref()) {
            Some(raw) => Email::parse("email", raw).unwrap_or_else(|_| client_email.clone()),
            None => client_email,
        };
        let bytes = render_pdf(&data).await?;
        let data = &data;
        let to = &to;
        let bytes = &bytes;
        let client_name = &client_name;
        self.write(who, f::PAYMENT_SEND, |w| {
            Box::pin(async move {
                let p = w
                    .tx()
                    .payment(id)
                    .await?
                    .ok_or(AppError::NotFound { what: "payment" })?;
                let template = MailTemplate::Invoice {
                    number: p.number.clone(),
                    total: data.total.clone(),
                    status: data.status.clone(),
                    invoice_url: self.public_link(&format!("/client/payments/{id}/print")),
                };
                let mail = OutgoingMail::new(to.clone(), data.locale, template)
                    .to_name(client_name.clone())
                    .for_client(p.client_id)
                    .attach(Attachment {
                        filename: format!("invoice-{}.pdf", p.number),
                        content_type: "application/pdf".to_owned(),
                        bytes: bytes.clone(),
                    });
                let now = w.now();
                enqueue(w.tx(), now, mail).await?;
                w.record(
                    super::payments::payment_ref(&p),
                    "send",
                    Changes::default().set("to", to.as_str()),
                );
                Ok(())
            })
        })
        .await?;
        Ok(to.as_str().to_owned())
    }
}
