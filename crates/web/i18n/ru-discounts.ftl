## Персональные скидки и акции с условиями и промокодами (задача 11).

error-promo-code-taken = Такой промокод уже есть.

object-client-discount = Персональная скидка
object-promotion = Акция

field-discount = Скидка
field-starts-on = Действует с
field-ends-on = Действует по
field-title-en = Название (английское)
field-title-ru = Название (русское)
field-condition = Условие
field-promo-code = Промокод
