## Quotes: what a client would pay, and why (issue 11).

error-no-exchange-rate = No exchange rate joins the plan's currency and the account's on this day.
error-end-before-start = The end must come after the start.
error-overlapping-rule = Another rule of the same level already covers these products at that time.
error-invalid-expression = Enter an operator and a number, such as *1.05.
error-unknown-promo-code = No running promotion has this promo code.
error-promo-code-used-up = This promo code has been used up.
error-promo-code-not-applicable = This promo code's promotion does not apply to this order.
