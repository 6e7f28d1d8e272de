## Personal discounts and promotions with their conditions and promo codes (issue 11).

error-promo-code-taken = This promo code already exists.

object-client-discount = Personal discount
object-promotion = Promotion

field-discount = Discount
field-starts-on = Starts on
field-ends-on = Ends on
field-title-en = Title (English)
field-title-ru = Title (Russian)
field-condition = Condition
field-promo-code = Promo code
