<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>ActivationView</name>
    <message>
        <source>Collapse the trained linear layers</source>
        <translation>훈련된 선형 층 합치기</translation>
    </message>
    <message>
        <source>Solid: the function. Dashed: its derivative, which backpropagation multiplies into every gradient.</source>
        <translation>실선: 함수. 점선: 도함수 — 역전파가 모든 그레이디언트에 곱하는 값입니다.</translation>
    </message>
    <message>
        <source>No two Dense layers in a row compute a linear function: every hidden layer has a non-linear activation, so the stack cannot be collapsed.</source>
        <translation>연이은 Dense 층 중 선형 함수를 계산하는 쌍이 없습니다. 모든 은닉층에 비선형 활성화 함수가 있으므로 층을 합칠 수 없습니다.</translation>
    </message>
    <message>
        <source>{0} collapse into one layer with weights of shape {1} and a bias of length {2}. On 200 random inputs the single layer and the stack differ by at most {3:.2g}.</source>
        <translation>{0}은(는) 가중치 모양이 {1}이고 편향 길이가 {2}인 층 하나로 합쳐집니다. 무작위 입력 200개에서 층 하나와 쌓은 층의 차이는 최대 {3:.2g}입니다.</translation>
    </message>
</context>
<context>
    <name>AdvisorPanel</name>
    <message>
        <source>Open the Data tab and choose the data: the advisor checks the output layer, loss and inputs against it.</source>
        <translation>데이터 탭을 열고 데이터를 고르세요. 도우미가 그 데이터에 맞춰 출력층, 손실, 입력을 확인합니다.</translation>
    </message>
    <message>
        <source>{0}, {1} classes</source>
        <translation>{0}, 클래스 {1}개</translation>
    </message>
    <message>
        <source>The model fits the task.</source>
        <translation>모델이 작업에 맞습니다.</translation>
    </message>
    <message>
        <source>1 suggestion.</source>
        <translation>제안 1개.</translation>
    </message>
    <message>
        <source>{0} suggestions.</source>
        <translation>제안 {0}개.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Data:&lt;/b&gt; {0}. {1}</source>
        <translation>&lt;b&gt;데이터:&lt;/b&gt; {0}. {1}</translation>
    </message>
</context>
<context>
    <name>BusyIndicator</name>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
</context>
<context>
    <name>CallbacksEditor</name>
    <message>
        <source>Writes into the project&apos;s runs folder, so the project must be saved first.</source>
        <translation>프로젝트의 실행 폴더에 기록하므로 먼저 프로젝트를 저장해야 합니다.</translation>
    </message>
    <message>
        <source>Monitor</source>
        <translation>기준 값</translation>
    </message>
    <message>
        <source>Patience</source>
        <translation>인내 에포크</translation>
    </message>
    <message>
        <source>Factor</source>
        <translation>배율</translation>
    </message>
    <message>
        <source>Restore best weights</source>
        <translation>최고 가중치 복원</translation>
    </message>
    <message>
        <source>Stop early</source>
        <translation>조기 종료</translation>
    </message>
    <message>
        <source>Stop when the monitored value has not improved for some epochs.</source>
        <translation>기준 값이 몇 에포크 동안 나아지지 않으면 멈춥니다.</translation>
    </message>
    <message>
        <source>Reduce learning rate on plateau</source>
        <translation>정체 시 학습률 줄이기</translation>
    </message>
    <message>
        <source>Multiply the learning rate by a factor when the monitored value stops improving.</source>
        <translation>기준 값이 더 나아지지 않으면 학습률에 배율을 곱합니다.</translation>
    </message>
    <message>
        <source>Keep the best model</source>
        <translation>최고 모델 저장</translation>
    </message>
    <message>
        <source>Save the best model so far as best.h5.</source>
        <translation>지금까지의 최고 모델을 best.h5로 저장합니다.</translation>
    </message>
    <message>
        <source>Stop when the loss becomes NaN</source>
        <translation>손실이 NaN이 되면 멈추기</translation>
    </message>
    <message>
        <source>Keep the last good weights.</source>
        <translation>마지막 정상 가중치를 유지합니다.</translation>
    </message>
    <message>
        <source>TensorBoard logs</source>
        <translation>TensorBoard 기록</translation>
    </message>
    <message>
        <source>Write logs TensorBoard can show.</source>
        <translation>텐서보드가 보여 줄 수 있는 기록을 남깁니다.</translation>
    </message>
    <message>
        <source>CSV log of every epoch</source>
        <translation>에포크별 CSV 기록</translation>
    </message>
    <message>
        <source>Write history.csv.</source>
        <translation>history.csv를 씁니다.</translation>
    </message>
</context>
<context>
    <name>Canvas</name>
    <message>
        <source>Drag from here to an input port to connect</source>
        <translation>여기서 입력 포트로 끌어 연결하세요</translation>
    </message>
    <message>
        <source>Input port</source>
        <translation>입력 포트</translation>
    </message>
    <message>
        <source>output</source>
        <translation>출력</translation>
    </message>
    <message>
        <source>{0} params</source>
        <translation>파라미터 {0}개</translation>
    </message>
    <message>
        <source>{0} → {1} (input {2}); select and press Delete to remove</source>
        <translation>{0} → {1} (입력 {2}); 선택하고 Delete를 누르면 삭제됩니다</translation>
    </message>
    <message>
        <source>{0} inserted between {1} and {2}</source>
        <translation>{1}과(와) {2} 사이에 {0}을(를) 삽입했습니다</translation>
    </message>
    <message>
        <source>Cannot connect: {0}</source>
        <translation>연결할 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>Cannot rename: {0}</source>
        <translation>이름을 바꿀 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>Rename layer</source>
        <translation>층 이름 바꾸기</translation>
    </message>
    <message>
        <source>New name for {0}:</source>
        <translation>{0}의 새 이름:</translation>
    </message>
    <message>
        <source>Cannot paste: {0}</source>
        <translation>붙여 넣을 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>Unset as model output</source>
        <translation>모델 출력 지정 해제</translation>
    </message>
    <message>
        <source>Set as model output</source>
        <translation>모델 출력으로 지정</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>이름 바꾸기…</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>복제</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>삭제</translation>
    </message>
    <message>
        <source>Add layer</source>
        <translation>층 추가</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>붙여 넣기</translation>
    </message>
    <message>
        <source>Automatic layout</source>
        <translation>자동 배치</translation>
    </message>
    <message>
        <source>Fit to window</source>
        <translation>창에 맞추기</translation>
    </message>
    <message>
        <source>Delete connection</source>
        <translation>연결 삭제</translation>
    </message>
</context>
<context>
    <name>Catalog</name>
    <message>
        <source>Core</source>
        <translation>기본</translation>
    </message>
    <message>
        <source>Reshaping</source>
        <translation>형태 변환</translation>
    </message>
    <message>
        <source>Regularization</source>
        <translation>규제</translation>
    </message>
    <message>
        <source>Normalization</source>
        <translation>정규화</translation>
    </message>
    <message>
        <source>Preprocessing</source>
        <translation>전처리</translation>
    </message>
    <message>
        <source>Merging</source>
        <translation>병합</translation>
    </message>
    <message>
        <source>Convolution</source>
        <translation>합성곱</translation>
    </message>
    <message>
        <source>Pooling</source>
        <translation>풀링</translation>
    </message>
    <message>
        <source>Where data enters the model; its shape excludes the batch axis.</source>
        <translation>데이터가 모델에 들어오는 곳입니다. 모양에 배치 축은 포함하지 않습니다.</translation>
    </message>
    <message>
        <source>Shape of one sample, without the batch axis (e.g. 28, 28).</source>
        <translation>배치 축을 뺀 샘플 하나의 모양(예: 28, 28).</translation>
    </message>
    <message>
        <source>Type of the incoming values; uint8 for raw image pixels.</source>
        <translation>들어오는 값의 타입. 원본 이미지 픽셀은 uint8.</translation>
    </message>
    <message>
        <source>A fully connected layer: every output is a weighted sum of all inputs plus a bias.</source>
        <translation>완전 연결 층: 각 출력은 모든 입력의 가중치 합에 편향을 더한 값입니다.</translation>
    </message>
    <message>
        <source>Number of neurons (outputs).</source>
        <translation>뉴런(출력)의 수.</translation>
    </message>
    <message>
        <source>Applied to the layer&apos;s output; &apos;linear&apos; means none.</source>
        <translation>층의 출력에 적용됩니다. &apos;linear&apos;는 적용하지 않음을 뜻합니다.</translation>
    </message>
    <message>
        <source>Add a learned bias to each output.</source>
        <translation>각 출력에 학습되는 편향을 더합니다.</translation>
    </message>
    <message>
        <source>How the weights are initialized.</source>
        <translation>가중치를 초기화하는 방법.</translation>
    </message>
    <message>
        <source>How the biases are initialized.</source>
        <translation>편향을 초기화하는 방법.</translation>
    </message>
    <message>
        <source>Penalty on the weights added to the loss (none by default).</source>
        <translation>손실에 더하는 가중치 벌칙(기본: 없음).</translation>
    </message>
    <message>
        <source>Penalty on the biases added to the loss (none by default).</source>
        <translation>손실에 더하는 편향 벌칙(기본: 없음).</translation>
    </message>
    <message>
        <source>Applies an activation function to its input.</source>
        <translation>입력에 활성화 함수를 적용합니다.</translation>
    </message>
    <message>
        <source>The function applied element-wise.</source>
        <translation>원소별로 적용하는 함수.</translation>
    </message>
    <message>
        <source>Flattens each sample into one vector (e.g. 28x28 -&gt; 784); no weights.</source>
        <translation>각 샘플을 벡터 하나로 펼칩니다(예: 28x28 -&gt; 784). 가중치 없음.</translation>
    </message>
    <message>
        <source>Where the channels are: last (height, width, channels) or first.</source>
        <translation>채널의 위치: 마지막(높이, 너비, 채널) 또는 처음.</translation>
    </message>
    <message>
        <source>Gives each sample a new shape with the same number of values.</source>
        <translation>값의 개수는 같게 두고 각 샘플의 모양을 바꿉니다.</translation>
    </message>
    <message>
        <source>New shape without the batch axis; one entry may be -1.</source>
        <translation>배치 축을 뺀 새 모양. 한 항목은 -1일 수 있습니다.</translation>
    </message>
    <message>
        <source>During training, sets a random fraction of inputs to 0 to reduce over-fitting.</source>
        <translation>훈련 중 입력의 일부를 무작위로 0으로 만들어 과대적합을 줄입니다.</translation>
    </message>
    <message>
        <source>Fraction of inputs dropped, from 0 up to (not including) 1.</source>
        <translation>버리는 입력의 비율, 0 이상 1 미만.</translation>
    </message>
    <message>
        <source>Random seed for the dropout mask (none: random).</source>
        <translation>드롭아웃 마스크의 난수 시드(없음: 무작위).</translation>
    </message>
    <message>
        <source>Normalizes each feature using batch statistics while training and moving averages afterwards.</source>
        <translation>훈련 중에는 배치 통계로, 그 뒤에는 이동 평균으로 각 특성을 정규화합니다.</translation>
    </message>
    <message>
        <source>The feature axis to normalize (usually -1, the channels).</source>
        <translation>정규화할 특성 축(보통 -1, 채널).</translation>
    </message>
    <message>
        <source>Momentum of the moving averages.</source>
        <translation>이동 평균의 모멘텀.</translation>
    </message>
    <message>
        <source>Small number added to the variance to avoid dividing by zero.</source>
        <translation>0으로 나누지 않도록 분산에 더하는 작은 수.</translation>
    </message>
    <message>
        <source>Learn an offset (beta).</source>
        <translation>이동 값(beta)을 학습합니다.</translation>
    </message>
    <message>
        <source>Learn a scale (gamma).</source>
        <translation>배율(gamma)을 학습합니다.</translation>
    </message>
    <message>
        <source>Scales features to zero mean and unit variance with statistics learned from the training data.</source>
        <translation>훈련 데이터에서 구한 통계로 특성을 평균 0, 분산 1로 조정합니다.</translation>
    </message>
    <message>
        <source>The axis (or axes) that keep separate statistics, usually -1.</source>
        <translation>통계를 따로 두는 축(들), 보통 -1.</translation>
    </message>
    <message>
        <source>Undo a normalization instead of applying it.</source>
        <translation>정규화를 적용하는 대신 되돌립니다.</translation>
    </message>
    <message>
        <source>Multiplies inputs by a scale and adds an offset (1/255 maps pixels to 0..1).</source>
        <translation>입력에 배율을 곱하고 이동 값을 더합니다(1/255는 픽셀을 0..1로 바꿉니다).</translation>
    </message>
    <message>
        <source>Multiplier applied to each input.</source>
        <translation>각 입력에 곱하는 값.</translation>
    </message>
    <message>
        <source>Added after scaling.</source>
        <translation>배율을 곱한 뒤 더하는 값.</translation>
    </message>
    <message>
        <source>Joins its inputs along one axis, in the order they are connected.</source>
        <translation>입력을 연결된 순서대로 한 축을 따라 이어 붙입니다.</translation>
    </message>
    <message>
        <source>The axis to join along; the other axes must match.</source>
        <translation>이어 붙일 축. 나머지 축은 크기가 같아야 합니다.</translation>
    </message>
    <message>
        <source>Adds its inputs element-wise; they must have the same shape.</source>
        <translation>입력을 원소별로 더합니다. 모양이 같아야 합니다.</translation>
    </message>
    <message>
        <source>Averages its inputs element-wise; they must have the same shape.</source>
        <translation>입력을 원소별로 평균합니다. 모양이 같아야 합니다.</translation>
    </message>
    <message>
        <source>Slides learned filters over an image to detect local patterns.</source>
        <translation>학습된 필터를 이미지 위로 움직이며 국소 패턴을 찾습니다.</translation>
    </message>
    <message>
        <source>Number of filters (output channels).</source>
        <translation>필터(출력 채널)의 수.</translation>
    </message>
    <message>
        <source>Height and width of each filter.</source>
        <translation>각 필터의 높이와 너비.</translation>
    </message>
    <message>
        <source>Step of the filter in height and width.</source>
        <translation>높이와 너비 방향의 필터 이동 간격.</translation>
    </message>
    <message>
        <source>&apos;valid&apos;: no padding, the output shrinks; &apos;same&apos;: pad so the output keeps the size (stride 1).</source>
        <translation>&apos;valid&apos;: 패딩 없음, 출력이 작아짐. &apos;same&apos;: 패딩을 더해 출력 크기를 유지(스트라이드 1).</translation>
    </message>
    <message>
        <source>Spacing between filter taps (1: none).</source>
        <translation>필터 원소 사이의 간격(1: 없음).</translation>
    </message>
    <message>
        <source>Split the input channels into this many groups.</source>
        <translation>입력 채널을 이 수만큼의 그룹으로 나눕니다.</translation>
    </message>
    <message>
        <source>How the filter weights are initialized.</source>
        <translation>필터 가중치를 초기화하는 방법.</translation>
    </message>
    <message>
        <source>Penalty on the filter weights added to the loss (none by default).</source>
        <translation>손실에 더하는 필터 가중치 벌칙(기본: 없음).</translation>
    </message>
    <message>
        <source>Penalty on the outputs added to the loss (none by default).</source>
        <translation>손실에 더하는 출력 벌칙(기본: 없음).</translation>
    </message>
    <message>
        <source>Keeps the largest value of each window, shrinking the image.</source>
        <translation>각 창에서 가장 큰 값만 남겨 이미지를 줄입니다.</translation>
    </message>
    <message>
        <source>Height and width of the pooling window.</source>
        <translation>풀링 창의 높이와 너비.</translation>
    </message>
    <message>
        <source>Step of the window (none: the pool size).</source>
        <translation>창의 이동 간격(없음: 풀링 크기).</translation>
    </message>
    <message>
        <source>Averages each channel over the whole image, giving one value per channel.</source>
        <translation>채널마다 이미지 전체를 평균해 채널당 값 하나를 냅니다.</translation>
    </message>
    <message>
        <source>Keep the height and width axes (as size 1).</source>
        <translation>높이와 너비 축을 (크기 1로) 유지합니다.</translation>
    </message>
</context>
<context>
    <name>CodePanel</name>
    <message>
        <source>Copy</source>
        <translation>복사</translation>
    </message>
    <message>
        <source>Export Script…</source>
        <translation>스크립트 내보내기…</translation>
    </message>
    <message>
        <source>Keras API:</source>
        <translation>Keras API:</translation>
    </message>
    <message>
        <source>Sequential needs one straight chain of layers; this model branches. Showing the Functional API.</source>
        <translation>Sequential은 층이 한 줄로 이어져야 하는데 이 모델은 갈라집니다. Functional API로 보여 줍니다.</translation>
    </message>
    <message>
        <source>{0}: the {1} API. File &gt; Export Code... writes a runnable script that also loads the data and trains.</source>
        <translation>{0}: {1} API. 파일 &gt; 코드 내보내기...는 데이터를 읽고 훈련까지 하는 실행 가능한 스크립트를 씁니다.</translation>
    </message>
    <message>
        <source>Export script</source>
        <translation>스크립트 내보내기</translation>
    </message>
    <message>
        <source>Python scripts (*.py)</source>
        <translation>파이썬 스크립트 (*.py)</translation>
    </message>
    <message>
        <source>Exported {0}</source>
        <translation>{0}(으)로 내보냈습니다</translation>
    </message>
</context>
<context>
    <name>Commands</name>
    <message>
        <source>Add {0}</source>
        <translation>{0} 추가</translation>
    </message>
    <message>
        <source>Delete 1 layer</source>
        <translation>층 1개 삭제</translation>
    </message>
    <message>
        <source>Delete {0} layers</source>
        <translation>층 {0}개 삭제</translation>
    </message>
    <message>
        <source>Connect {0} to {1}</source>
        <translation>{0}을(를) {1}에 연결</translation>
    </message>
    <message>
        <source>Rename {0} to {1}</source>
        <translation>{0}의 이름을 {1}(으)로 바꾸기</translation>
    </message>
    <message>
        <source>Disconnect {0} from {1}</source>
        <translation>{0}과(와) {1}의 연결 끊기</translation>
    </message>
    <message>
        <source>Set {0}</source>
        <translation>{0} 설정</translation>
    </message>
    <message>
        <source>Move layers</source>
        <translation>층 이동</translation>
    </message>
    <message>
        <source>Mark {0} as output</source>
        <translation>{0}을(를) 출력으로 지정</translation>
    </message>
    <message>
        <source>Unmark {0} as output</source>
        <translation>{0}의 출력 지정 해제</translation>
    </message>
    <message>
        <source>Paste 1 layer</source>
        <translation>층 1개 붙여 넣기</translation>
    </message>
    <message>
        <source>Paste {0} layers</source>
        <translation>층 {0}개 붙여 넣기</translation>
    </message>
    <message>
        <source>Insert {0}</source>
        <translation>{0} 삽입</translation>
    </message>
</context>
<context>
    <name>Count</name>
    <message>
        <source>1 epoch</source>
        <translation>1 에포크</translation>
    </message>
    <message>
        <source>{0} epochs</source>
        <translation>{0} 에포크</translation>
    </message>
</context>
<context>
    <name>DataPanel</name>
    <message>
        <source>MNIST digits (bundled)</source>
        <translation>MNIST 숫자 (내장)</translation>
    </message>
    <message>
        <source>MNIST-format files…</source>
        <translation>MNIST 형식 파일…</translation>
    </message>
    <message>
        <source>CSV file</source>
        <translation>CSV 파일</translation>
    </message>
    <message>
        <source>utf-8 (Unicode)</source>
        <translation>utf-8 (유니코드)</translation>
    </message>
    <message>
        <source>utf-8-sig (Unicode with a byte-order mark)</source>
        <translation>utf-8-sig (유니코드, BOM 포함)</translation>
    </message>
    <message>
        <source>cp949 (Korean, Excel on Windows)</source>
        <translation>cp949 (한국어, Windows용 Excel)</translation>
    </message>
    <message>
        <source>euc-kr (Korean)</source>
        <translation>euc-kr (한국어)</translation>
    </message>
    <message>
        <source>shift_jis (Japanese)</source>
        <translation>shift_jis (일본어)</translation>
    </message>
    <message>
        <source>cp932 (Japanese, Excel on Windows)</source>
        <translation>cp932 (일본어, Windows용 Excel)</translation>
    </message>
    <message>
        <source>gb18030 (Chinese, simplified)</source>
        <translation>gb18030 (중국어 간체)</translation>
    </message>
    <message>
        <source>big5 (Chinese, traditional)</source>
        <translation>big5 (중국어 번체)</translation>
    </message>
    <message>
        <source>cp1252 (Western European, Windows)</source>
        <translation>cp1252 (서유럽어, Windows)</translation>
    </message>
    <message>
        <source>latin-1 (ISO 8859-1)</source>
        <translation>latin-1 (ISO 8859-1, 서유럽어)</translation>
    </message>
    <message>
        <source>utf-16 (Unicode, two bytes)</source>
        <translation>utf-16 (유니코드, 2바이트)</translation>
    </message>
    <message>
        <source>comma</source>
        <translation>쉼표</translation>
    </message>
    <message>
        <source>semicolon</source>
        <translation>세미콜론</translation>
    </message>
    <message>
        <source>tab</source>
        <translation>탭</translation>
    </message>
    <message>
        <source>pipe</source>
        <translation>세로 막대</translation>
    </message>
    <message>
        <source>drop the row</source>
        <translation>행 제외</translation>
    </message>
    <message>
        <source>fill with the mean</source>
        <translation>평균으로 채우기</translation>
    </message>
    <message>
        <source>fill with the median</source>
        <translation>중앙값으로 채우기</translation>
    </message>
    <message>
        <source>fill with the most frequent</source>
        <translation>최빈값으로 채우기</translation>
    </message>
    <message>
        <source>stop with an error</source>
        <translation>오류로 멈추기</translation>
    </message>
    <message>
        <source>detected</source>
        <translation>자동 감지</translation>
    </message>
    <message>
        <source>Choose the data…</source>
        <translation>데이터 선택…</translation>
    </message>
    <message>
        <source>no file chosen</source>
        <translation>선택한 파일 없음</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>선택…</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>데이터 원본</translation>
    </message>
    <message>
        <source>File</source>
        <translation>파일</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>all</source>
        <translation>전체</translation>
    </message>
    <message>
        <source>Train on the first N training images only (faster while trying ideas)</source>
        <translation>처음 N개의 훈련 이미지로만 훈련합니다(아이디어를 시험할 때 빠름)</translation>
    </message>
    <message>
        <source>Training images</source>
        <translation>훈련 이미지</translation>
    </message>
    <message>
        <source>Validation</source>
        <translation>검증</translation>
    </message>
    <message>
        <source>point .</source>
        <translation>마침표 .</translation>
    </message>
    <message>
        <source>comma ,</source>
        <translation>쉼표 ,</translation>
    </message>
    <message>
        <source>first row is the header</source>
        <translation>첫 행은 머리글</translation>
    </message>
    <message>
        <source>no header row</source>
        <translation>머리글 없음</translation>
    </message>
    <message>
        <source>suggested</source>
        <translation>추천</translation>
    </message>
    <message>
        <source>Unticked columns are not fed to the model</source>
        <translation>선택하지 않은 열은 모델에 들어가지 않습니다</translation>
    </message>
    <message>
        <source>balanced (rare classes count more)</source>
        <translation>균형(드문 클래스에 더 큰 가중치)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>How the file stores its characters; Excel writes cp949 on Korean Windows, cp1252 in Western Europe, utf-8 when saved as “CSV UTF-8”</source>
        <translation>파일이 문자를 저장하는 방식. Excel은 한국어 Windows에서 cp949, 서유럽에서 cp1252로 쓰고, “CSV UTF-8”로 저장하면 utf-8로 씁니다</translation>
    </message>
    <message>
        <source>The character between two values of a row</source>
        <translation>한 행에서 값과 값 사이에 오는 문자</translation>
    </message>
    <message>
        <source>The mark between the whole and the fractional part of a number</source>
        <translation>수의 정수 부분과 소수 부분 사이에 오는 기호</translation>
    </message>
    <message>
        <source>Whether the first row holds the column names</source>
        <translation>첫 행에 열 이름이 있는지 여부</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>검증</translation>
    </message>
    <message>
        <source>test</source>
        <translation>테스트</translation>
    </message>
    <message>
        <source>Encoding</source>
        <translation>인코딩</translation>
    </message>
    <message>
        <source>Delimiter</source>
        <translation>구분자</translation>
    </message>
    <message>
        <source>Decimal mark</source>
        <translation>소수점</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>머리글</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>타깃</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>작업</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>분할</translation>
    </message>
    <message>
        <source>Missing values</source>
        <translation>누락된 값</translation>
    </message>
    <message>
        <source>Class weights</source>
        <translation>클래스 가중치</translation>
    </message>
    <message>
        <source>Features</source>
        <translation>특성</translation>
    </message>
    <message>
        <source>This project names a data source the studio does not know ({0}). Choose the data in &lt;b&gt;Source&lt;/b&gt;.</source>
        <translation>이 프로젝트의 데이터 원본({0})을 알 수 없습니다. &lt;b&gt;데이터 원본&lt;/b&gt;에서 데이터를 고르세요.</translation>
    </message>
    <message>
        <source>This project has no data yet. Choose it in &lt;b&gt;Source&lt;/b&gt;: the bundled MNIST digits, MNIST-format files or a CSV file.</source>
        <translation>이 프로젝트에는 아직 데이터가 없습니다. &lt;b&gt;데이터 원본&lt;/b&gt;에서 내장 MNIST 숫자, MNIST 형식 파일, CSV 파일 중 하나를 고르세요.</translation>
    </message>
    <message>
        <source>Choose a file with “Choose…”.</source>
        <translation>“선택…”으로 파일을 고르세요.</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>읽는 중…</translation>
    </message>
    <message>
        <source>bundled with the studio</source>
        <translation>스튜디오에 내장됨</translation>
    </message>
    <message>
        <source>This file lies outside the project&apos;s folder. Train only if you know why the project reads it; a copy of the project elsewhere will not find it.</source>
        <translation>이 파일은 프로젝트 폴더 밖에 있습니다. 프로젝트가 왜 이 파일을 읽는지 알 때만 학습하세요. 다른 곳에 복사한 프로젝트는 이 파일을 찾지 못합니다.</translation>
    </message>
    <message>
        <source>detected: {0}</source>
        <translation>자동 감지: {0}</translation>
    </message>
    <message>
        <source>{0}; {1} missing</source>
        <translation>{0}; 누락 {1}개</translation>
    </message>
    <message>
        <source>&lt;b&gt;about {0} rows&lt;/b&gt; (the first {1} shown)</source>
        <translation>&lt;b&gt;약 {0}행&lt;/b&gt; (처음 {1}행 표시)</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0} rows&lt;/b&gt;</source>
        <translation>&lt;b&gt;{0}행&lt;/b&gt;</translation>
    </message>
    <message>
        <source>{0}, {1} columns · {2}</source>
        <translation>{0}, {1}열 · {2}</translation>
    </message>
    <message>
        <source>Target &lt;b&gt;{0}&lt;/b&gt;: suggested task {1} with {2} classes</source>
        <translation>타깃 &lt;b&gt;{0}&lt;/b&gt;: 추천 작업 {1}, 클래스 {2}개</translation>
    </message>
    <message>
        <source>Target &lt;b&gt;{0}&lt;/b&gt;: suggested task {1}</source>
        <translation>타깃 &lt;b&gt;{0}&lt;/b&gt;: 추천 작업 {1}</translation>
    </message>
    <message>
        <source>{0} missing values (shaded in the preview)</source>
        <translation>누락된 값 {0}개 (미리 보기에 음영 표시)</translation>
    </message>
    <message>
        <source>Note: {0}</source>
        <translation>참고: {0}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt;: {1} training and {2} test images of {3} pixels; {4} classes: {5}</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;: {3} 픽셀 이미지, 훈련 {1}개와 테스트 {2}개. 클래스 {4}개: {5}</translation>
    </message>
    <message>
        <source>Reading was cancelled.</source>
        <translation>읽기를 취소했습니다.</translation>
    </message>
    <message>
        <source>Choose the folder with the four MNIST-format files</source>
        <translation>MNIST 형식 파일 네 개가 있는 폴더를 고르세요</translation>
    </message>
    <message>
        <source>Choose a CSV file</source>
        <translation>CSV 파일 고르기</translation>
    </message>
    <message>
        <source>CSV files (*.csv *.tsv *.txt);;All files (*)</source>
        <translation>CSV 파일 (*.csv *.tsv *.txt);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Choose the data file</source>
        <translation>데이터 파일 고르기</translation>
    </message>
</context>
<context>
    <name>DrawingPad</name>
    <message>
        <source>Draw a digit with the mouse; right-click to clear</source>
        <translation>마우스로 숫자를 그리세요. 오른쪽 클릭으로 지웁니다</translation>
    </message>
</context>
<context>
    <name>FeatureForm</name>
    <message>
        <source>In the training data: {0:g} to {1:g}</source>
        <translation>훈련 데이터 범위: {0:g} ~ {1:g}</translation>
    </message>
    <message>
        <source>The model does not use this column: it feeds none of its inputs</source>
        <translation>모델이 쓰지 않는 열입니다. 어느 입력에도 들어가지 않습니다</translation>
    </message>
</context>
<context>
    <name>InspectorPanel</name>
    <message>
        <source>Select a layer to edit it</source>
        <translation>편집할 층을 선택하세요</translation>
    </message>
    <message>
        <source>Model output</source>
        <translation>모델 출력</translation>
    </message>
    <message>
        <source>needs a value</source>
        <translation>값이 필요합니다</translation>
    </message>
    <message>
        <source>must be a whole number, such as 64</source>
        <translation>정수여야 합니다 (예: 64)</translation>
    </message>
    <message>
        <source>must be a number, such as 0.5 or 1/255</source>
        <translation>숫자여야 합니다 (예: 0.5 또는 1/255)</translation>
    </message>
    <message>
        <source>must be whole numbers separated by commas, such as 28, 28</source>
        <translation>쉼표로 구분한 정수여야 합니다 (예: 28, 28)</translation>
    </message>
    <message>
        <source>not a valid {0}: {1}</source>
        <translation>올바른 {0} 값이 아닙니다: {1}</translation>
    </message>
    <message>
        <source>{0}; the layer keeps {1}</source>
        <translation>{0}; 층은 {1}을(를) 유지합니다</translation>
    </message>
    <message>
        <source>no value</source>
        <translation>값 없음</translation>
    </message>
</context>
<context>
    <name>LabBrowser</name>
    <message>
        <source>Labs</source>
        <translation>실습</translation>
    </message>
    <message>
        <source>(started)</source>
        <translation>(진행 중)</translation>
    </message>
    <message>
        <source>Your work is kept in {0}</source>
        <translation>작업은 {0}에 보관됩니다</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>열기</translation>
    </message>
    <message>
        <source>Start Over</source>
        <translation>처음부터 다시</translation>
    </message>
    <message>
        <source>Put your copy of this lab aside (it is kept) and start afresh</source>
        <translation>이 실습의 내 사본을 따로 보관하고 새로 시작합니다</translation>
    </message>
</context>
<context>
    <name>LabPanel</name>
    <message>
        <source>No lab is open. Choose one with File &gt; Labs…</source>
        <translation>열린 실습이 없습니다. 파일 &gt; 실습…에서 고르세요.</translation>
    </message>
    <message>
        <source>Check my work</source>
        <translation>확인하기</translation>
    </message>
    <message>
        <source>Lab {0}: {1}</source>
        <translation>실습 {0}: {1}</translation>
    </message>
    <message>
        <source>Assignment: {0}</source>
        <translation>과제: {0}</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>확인하는 중…</translation>
    </message>
    <message>
        <source>Hint: {0}</source>
        <translation>힌트: {0}</translation>
    </message>
    <message>
        <source>Passed — well done.</source>
        <translation>통과했습니다. 잘했어요.</translation>
    </message>
    <message>
        <source>Not passed yet.</source>
        <translation>아직 통과하지 못했습니다.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>TensorFlow failed to load: {0}</source>
        <translation>텐서플로를 불러오지 못했습니다: {0}</translation>
    </message>
    <message>
        <source>Perceptron Studio projects (*.studio.json);;All files (*)</source>
        <translation>Perceptron Studio 프로젝트 (*.studio.json);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Keras models (*.h5 *.keras)</source>
        <translation>Keras 모델 (*.h5 *.keras)</translation>
    </message>
    <message>
        <source>Keras models (*.h5 *.keras);;TensorFlow Lite (*.tflite);;ONNX (*.onnx);;TensorFlow SavedModel, a folder (*)</source>
        <translation>Keras 모델 (*.h5 *.keras);;TensorFlow Lite (*.tflite);;ONNX (*.onnx);;TensorFlow SavedModel 폴더 (*)</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>층</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>속성</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>데이터</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>훈련</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>결과</translation>
    </message>
    <message>
        <source>Predict</source>
        <translation>예측</translation>
    </message>
    <message>
        <source>Advisor</source>
        <translation>도우미</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>코드</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>요약</translation>
    </message>
    <message>
        <source>Tune</source>
        <translation>조정</translation>
    </message>
    <message>
        <source>Lab</source>
        <translation>실습</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>훈련</translation>
    </message>
    <message>
        <source>Loading TensorFlow…</source>
        <translation>텐서플로를 불러오는 중…</translation>
    </message>
    <message>
        <source>TensorBoard: {0}</source>
        <translation>텐서보드: {0}</translation>
    </message>
    <message>
        <source>{0} parameters</source>
        <translation>파라미터 {0}개</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>제목 없음</translation>
    </message>
    <message>
        <source>TensorFlow ready · training on {0}</source>
        <translation>텐서플로 준비됨 · {0}에서 훈련</translation>
    </message>
    <message>
        <source>Starting TensorBoard…</source>
        <translation>텐서보드를 시작하는 중…</translation>
    </message>
    <message>
        <source>newest run, {0}</source>
        <translation>최신 실행, {0}</translation>
    </message>
</context>
<context>
    <name>OutputsEditor</name>
    <message>
        <source>Output</source>
        <translation>출력</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>손실</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>가중치</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>지표</translation>
    </message>
    <message>
        <source>(no output yet)</source>
        <translation>(아직 출력 없음)</translation>
    </message>
    <message>
        <source>The default loss for this output and task; choose one to fix it</source>
        <translation>이 출력과 작업의 기본 손실입니다. 고정하려면 직접 고르세요</translation>
    </message>
    <message>
        <source>A Keras loss name; typed names are checked when training starts</source>
        <translation>Keras 손실 이름. 직접 입력한 이름은 훈련을 시작할 때 확인합니다</translation>
    </message>
    <message>
        <source>How much this output&apos;s loss counts in the total loss</source>
        <translation>이 출력의 손실이 전체 손실에서 차지하는 비중</translation>
    </message>
    <message>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>Set losses and metrics</source>
        <translation>손실과 지표 설정</translation>
    </message>
</context>
<context>
    <name>PalettePanel</name>
    <message>
        <source>Search layers…</source>
        <translation>층 검색…</translation>
    </message>
</context>
<context>
    <name>PerceptronView</name>
    <message>
        <source>Run the perceptron rule</source>
        <translation>퍼셉트론 규칙 실행</translation>
    </message>
    <message>
        <source>Class to recognise:</source>
        <translation>알아볼 클래스:</translation>
    </message>
    <message>
        <source>Learning rate η:</source>
        <translation>학습률 η:</translation>
    </message>
    <message>
        <source>Epochs at most:</source>
        <translation>최대 에포크:</translation>
    </message>
    <message>
        <source>others</source>
        <translation>나머지</translation>
    </message>
    <message>
        <source>chosen class</source>
        <translation>고른 클래스</translation>
    </message>
    <message>
        <source>Press Run to watch the rule learn.</source>
        <translation>실행을 누르면 규칙이 배우는 과정을 볼 수 있습니다.</translation>
    </message>
    <message>
        <source>Update {0} of {1}</source>
        <translation>업데이트 {0} / {1}</translation>
    </message>
    <message>
        <source>Converged after {0}: mistakes per epoch {1}. Training accuracy {2:.3f}.</source>
        <translation>{0} 후 수렴했습니다. 에포크별 실수 {1}. 훈련 정확도 {2:.3f}.</translation>
    </message>
    <message>
        <source>Did not converge in {0}: mistakes per epoch {1}. Training accuracy {2:.3f}.</source>
        <translation>{0} 안에 수렴하지 않았습니다. 에포크별 실수 {1}. 훈련 정확도 {2:.3f}.</translation>
    </message>
</context>
<context>
    <name>PredictPanel</name>
    <message>
        <source>Clear</source>
        <translation>지우기</translation>
    </message>
    <message>
        <source>Open image…</source>
        <translation>이미지 열기…</translation>
    </message>
    <message>
        <source>probability</source>
        <translation>확률</translation>
    </message>
    <message>
        <source>Draw a digit</source>
        <translation>숫자 그리기</translation>
    </message>
    <message>
        <source>Predict a CSV file…</source>
        <translation>CSV 파일 예측…</translation>
    </message>
    <message>
        <source>Save as CSV…</source>
        <translation>CSV로 저장…</translation>
    </message>
    <message>
        <source>Try one row</source>
        <translation>한 행 직접 입력</translation>
    </message>
    <message>
        <source>Predict new rows</source>
        <translation>새 행 예측</translation>
    </message>
    <message>
        <source>Training is running; predictions use the model it leaves.</source>
        <translation>훈련 중입니다. 예측에는 훈련이 끝난 모델을 씁니다.</translation>
    </message>
    <message>
        <source>Predictions use the model trained last ({0}).</source>
        <translation>예측에는 마지막으로 훈련한 모델({0})을 씁니다.</translation>
    </message>
    <message>
        <source>Predictions use the imported model.</source>
        <translation>예측에는 가져온 모델을 씁니다.</translation>
    </message>
    <message>
        <source>Train a model first: predictions use the trained model.</source>
        <translation>먼저 모델을 훈련하세요. 예측에는 훈련된 모델을 씁니다.</translation>
    </message>
    <message>
        <source>Predictions use the project&apos;s trained model ({0}).</source>
        <translation>예측에는 프로젝트의 훈련된 모델({0})을 씁니다.</translation>
    </message>
    <message>
        <source>Opening the trained model…</source>
        <translation>훈련된 모델을 여는 중…</translation>
    </message>
    <message>
        <source>Open image</source>
        <translation>이미지 열기</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp)</source>
        <translation>이미지 (*.png *.jpg *.jpeg *.bmp)</translation>
    </message>
    <message>
        <source>{0}  ({1:.0%})</source>
        <translation>{0}  ({1:.0%})</translation>
    </message>
    <message>
        <source>Predict a CSV file</source>
        <translation>CSV 파일 예측</translation>
    </message>
    <message>
        <source>CSV files (*.csv *.txt);;All files (*)</source>
        <translation>CSV 파일 (*.csv *.txt);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Predicting {0}…</source>
        <translation>{0} 예측 중…</translation>
    </message>
    <message>
        <source>{0} of {1} rows predicted.</source>
        <translation>{1}행 중 {0}행을 예측했습니다.</translation>
    </message>
    <message>
        <source>The first {0} are shown; Save as CSV writes them all.</source>
        <translation>처음 {0}행만 보입니다. CSV로 저장하면 모두 씁니다.</translation>
    </message>
    <message>
        <source>… and {0} more rows that could not be predicted.</source>
        <translation>… 그리고 예측하지 못한 행이 {0}개 더 있습니다.</translation>
    </message>
    <message>
        <source>Save predictions</source>
        <translation>예측 저장</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 파일 (*.csv)</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>{0}에 저장했습니다</translation>
    </message>
</context>
<context>
    <name>ProblemsButton</name>
    <message>
        <source>1 problem</source>
        <translation>문제 1개</translation>
    </message>
    <message>
        <source>{0} problems</source>
        <translation>문제 {0}개</translation>
    </message>
    <message>
        <source>1 warning</source>
        <translation>경고 1개</translation>
    </message>
    <message>
        <source>{0} warnings</source>
        <translation>경고 {0}개</translation>
    </message>
    <message>
        <source>Click to see each problem and where it is</source>
        <translation>클릭하면 각 문제와 그 위치를 볼 수 있습니다</translation>
    </message>
    <message>
        <source>Set {0} as model output</source>
        <translation>{0}을(를) 모델 출력으로 지정</translation>
    </message>
    <message>
        <source>Done: {0}</source>
        <translation>완료: {0}</translation>
    </message>
    <message>
        <source>{0} is now the model output</source>
        <translation>이제 {0}이(가) 모델 출력입니다</translation>
    </message>
</context>
<context>
    <name>ResultsPanel</name>
    <message>
        <source>Train a model to see its results on the test split.</source>
        <translation>모델을 훈련하면 테스트 세트에 대한 결과를 볼 수 있습니다.</translation>
    </message>
    <message>
        <source>Confusion matrix</source>
        <translation>오차 행렬</translation>
    </message>
    <message>
        <source>These results are from the model as it was before your last changes; train again to see how the changed model does.</source>
        <translation>이 결과는 마지막으로 바꾸기 전의 모델에서 얻은 것입니다. 바뀐 모델의 성능을 보려면 다시 훈련하세요.</translation>
    </message>
    <message>
        <source>Rows: the true class. Columns (→): the class the model predicted. The diagonal counts the right answers.</source>
        <translation>행: 실제 클래스. 열(→): 모델이 예측한 클래스. 대각선은 맞힌 개수입니다.</translation>
    </message>
    <message>
        <source>true value</source>
        <translation>실제 값</translation>
    </message>
    <message>
        <source>predicted value</source>
        <translation>예측 값</translation>
    </message>
    <message>
        <source>Mistakes</source>
        <translation>틀린 예측</translation>
    </message>
    <message>
        <source>Predicted vs true</source>
        <translation>예측 대 실제</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>실행</translation>
    </message>
    <message>
        <source>New results: the test split of the run that just ended</source>
        <translation>새 결과: 방금 끝난 실행의 테스트 세트</translation>
    </message>
    <message>
        <source>{0} of {1} test images misclassified</source>
        <translation>테스트 이미지 {1}개 중 {0}개를 잘못 분류</translation>
    </message>
    <message>
        <source>{0} of {1} test rows misclassified</source>
        <translation>테스트 {1}행 중 {0}행을 잘못 분류</translation>
    </message>
    <message>
        <source>Tested on {0} of the {1:,} test images: &quot;Training images&quot; in the Data tab limits the test images in the same share</source>
        <translation>테스트 이미지 {1:,}개 중 {0}개로 테스트했습니다. 데이터 탭의 “훈련 이미지”가 테스트 이미지도 같은 비율로 제한합니다</translation>
    </message>
    <message>
        <source>The test split was streamed from disk: the figures use a sample of {0} of its {1} rows; the test metrics use them all</source>
        <translation>테스트 분할을 디스크에서 스트리밍했습니다: 그림은 {1}행 중 {0}행 표본을 사용하고, 테스트 지표는 모든 행을 사용합니다</translation>
    </message>
    <message>
        <source>Test split</source>
        <translation>테스트 세트</translation>
    </message>
    <message>
        <source>Rows: the true class. Columns: the class the model predicted.</source>
        <translation>행: 실제 클래스. 열: 모델이 예측한 클래스.</translation>
    </message>
    <message>
        <source>true {0}, predicted {1}: {2} ({3:.1f}% of the {0} rows)</source>
        <translation>실제 {0}, 예측 {1}: {2}개 ({0} 행의 {3:.1f}%)</translation>
    </message>
    <message>
        <source>test image {0}: true {1}, predicted {2} with {3:.1f}% confidence</source>
        <translation>테스트 이미지 {0}: 실제 {1}, 예측 {2} (확신도 {3:.1f}%)</translation>
    </message>
    <message>
        <source>The {0} most confident of {1} mistakes (true → predicted, confidence)</source>
        <translation>틀린 예측 {1}개 중 확신도가 가장 높은 {0}개 (실제 → 예측, 확신도)</translation>
    </message>
    <message>
        <source>{0} · imported model</source>
        <translation>{0} · 가져온 모델</translation>
    </message>
    <message>
        <source>{0} · {1}</source>
        <translation>{0} · {1}</translation>
    </message>
</context>
<context>
    <name>RunsPanel</name>
    <message>
        <source>oldest first</source>
        <translation>오래된 순</translation>
    </message>
    <message>
        <source>newest first</source>
        <translation>최신 순</translation>
    </message>
    <message>
        <source>best final value first</source>
        <translation>마지막 값이 좋은 순</translation>
    </message>
    <message>
        <source>filter, e.g. val_accuracy &gt;= 0.9</source>
        <translation>필터, 예: val_accuracy &gt;= 0.9</translation>
    </message>
    <message>
        <source>Delete Selected…</source>
        <translation>선택 삭제…</translation>
    </message>
    <message>
        <source>Open in TensorBoard</source>
        <translation>텐서보드에서 열기</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>에포크</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>비교</translation>
    </message>
    <message>
        <source>Show the recorded runs in TensorBoard, in the browser</source>
        <translation>기록된 실행을 브라우저의 텐서보드에서 봅니다</translation>
    </message>
    <message>
        <source>Train the model once: TensorBoard shows the recorded runs.</source>
        <translation>먼저 모델을 한 번 훈련하세요. 텐서보드는 기록된 실행을 보여 줍니다.</translation>
    </message>
    <message>
        <source>A filter reads METRIC &gt;= VALUE (or &gt;, &lt;, &lt;=), e.g. val_accuracy &gt;= 0.9</source>
        <translation>필터는 지표 &gt;= 값 (또는 &gt;, &lt;, &lt;=) 형식입니다. 예: val_accuracy &gt;= 0.9</translation>
    </message>
    <message>
        <source>test: {0}</source>
        <translation>테스트: {0}</translation>
    </message>
</context>
<context>
    <name>SummaryPanel</name>
    <message>
        <source>Layer</source>
        <translation>층</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>종류</translation>
    </message>
    <message>
        <source>Output shape</source>
        <translation>출력 모양</translation>
    </message>
    <message>
        <source>Params</source>
        <translation>파라미터</translation>
    </message>
    <message>
        <source>Connected to</source>
        <translation>입력 연결</translation>
    </message>
    <message>
        <source>TensorFlow is loading…</source>
        <translation>텐서플로를 불러오는 중…</translation>
    </message>
    <message>
        <source>The model training builds from this graph, with the input scaling of the data ({0}). A trained model file may differ.</source>
        <translation>훈련이 이 그래프로 만드는 모델입니다. 데이터의 입력 스케일링({0})을 포함합니다. 훈련된 모델 파일과는 다를 수 있습니다.</translation>
    </message>
    <message>
        <source>The model training builds from this graph. A trained model file may differ.</source>
        <translation>훈련이 이 그래프로 만드는 모델입니다. 훈련된 모델 파일과는 다를 수 있습니다.</translation>
    </message>
    <message>
        <source>Total params: {0}</source>
        <translation>전체 파라미터: {0}</translation>
    </message>
    <message>
        <source>Trainable params: {0}</source>
        <translation>훈련되는 파라미터: {0}</translation>
    </message>
    <message>
        <source>Non-trainable params: {0}</source>
        <translation>훈련되지 않는 파라미터: {0}</translation>
    </message>
    <message>
        <source>The model cannot be built yet: {0}</source>
        <translation>아직 모델을 만들 수 없습니다: {0}</translation>
    </message>
</context>
<context>
    <name>Term</name>
    <message>
        <source>regression</source>
        <translation>회귀</translation>
    </message>
    <message>
        <source>binary</source>
        <translation>이진 분류</translation>
    </message>
    <message>
        <source>multiclass</source>
        <translation>다중 분류</translation>
    </message>
    <message>
        <source>multilabel</source>
        <translation>다중 레이블</translation>
    </message>
    <message>
        <source>Sequential</source>
        <translation>Sequential</translation>
    </message>
    <message>
        <source>Functional</source>
        <translation>Functional</translation>
    </message>
    <message>
        <source>Subclassing</source>
        <translation>Subclassing</translation>
    </message>
    <message>
        <source>trial</source>
        <translation>탐색 시도</translation>
    </message>
    <message>
        <source>finder</source>
        <translation>학습률 탐색</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <source>Optimizer</source>
        <translation>옵티마이저</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>에포크</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>배치 크기</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>시드</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>훈련 시작</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>중지</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>이어서 훈련</translation>
    </message>
    <message>
        <source>Reset weights</source>
        <translation>가중치 초기화</translation>
    </message>
    <message>
        <source>Forget the trained weights: the next run starts from new ones (the recorded runs stay)</source>
        <translation>학습된 가중치를 버립니다. 다음 훈련은 새 가중치로 시작합니다(기록된 실행은 남습니다)</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>준비됨</translation>
    </message>
    <message>
        <source>Callbacks</source>
        <translation>콜백</translation>
    </message>
    <message>
        <source>Drag to give the settings or the curves more room</source>
        <translation>끌어서 설정과 곡선 영역의 크기를 조절합니다</translation>
    </message>
    <message>
        <source>Keras&apos; default</source>
        <translation>Keras 기본값</translation>
    </message>
    <message>
        <source>Also given to the optimizer: {0}</source>
        <translation>옵티마이저에 함께 주는 값: {0}</translation>
    </message>
    <message>
        <source>Waiting for TensorFlow to load…</source>
        <translation>텐서플로를 불러오기를 기다리는 중…</translation>
    </message>
    <message>
        <source>A search or the learning-rate finder is running; stop it first (Tune tab)</source>
        <translation>탐색이나 학습률 찾기가 실행 중입니다. 먼저 멈추세요(조정 탭)</translation>
    </message>
    <message>
        <source>The model has errors; see the red badges on the canvas</source>
        <translation>모델에 오류가 있습니다. 캔버스의 빨간 표시를 보세요</translation>
    </message>
    <message>
        <source>The model is empty: drag a layer from the Layers panel onto the canvas</source>
        <translation>모델이 비어 있습니다: 층 패널에서 층을 캔버스로 끌어 오세요</translation>
    </message>
    <message>
        <source>Cannot train</source>
        <translation>훈련할 수 없습니다</translation>
    </message>
    <message>
        <source>Preparing data and model (from new weights)…</source>
        <translation>데이터와 모델을 준비하는 중(새 가중치로)…</translation>
    </message>
    <message>
        <source>Preparing data and model…</source>
        <translation>데이터와 모델을 준비하는 중…</translation>
    </message>
    <message>
        <source>Train starts from new weights; Continue goes on from the trained model</source>
        <translation>훈련 시작은 새 가중치로 시작합니다. 이어서 훈련은 학습된 모델에서 계속합니다</translation>
    </message>
    <message>
        <source>Weights reset: the next run starts from new weights</source>
        <translation>가중치를 초기화했습니다. 다음 훈련은 새 가중치로 시작합니다</translation>
    </message>
    <message>
        <source>Train was cancelled before TensorFlow had loaded</source>
        <translation>텐서플로를 불러오기 전에 훈련을 취소했습니다</translation>
    </message>
    <message>
        <source>Stopping after the current steps…</source>
        <translation>현재 스텝을 마치고 멈추는 중…</translation>
    </message>
    <message>
        <source>loss function: {0}</source>
        <translation>손실 함수: {0}</translation>
    </message>
    <message>
        <source>Newest run: finished after {0}</source>
        <translation>최신 실행: {0} 후 끝났습니다</translation>
    </message>
    <message>
        <source>Newest run: stopped after {0}</source>
        <translation>최신 실행: {0} 후 멈췄습니다</translation>
    </message>
    <message>
        <source>Newest run: stopped early (no improvement) after {0}</source>
        <translation>최신 실행: {0} 후 조기 종료했습니다(개선 없음)</translation>
    </message>
    <message>
        <source>Newest run: stopped after {0} (the loss became NaN)</source>
        <translation>최신 실행: {0} 후 멈췄습니다(손실이 NaN이 됨)</translation>
    </message>
    <message>
        <source>Newest run: {0}</source>
        <translation>최신 실행: {0}</translation>
    </message>
    <message>
        <source>Finished after {0}</source>
        <translation>{0} 후 끝났습니다</translation>
    </message>
    <message>
        <source>Stopped after {0}</source>
        <translation>{0} 후 멈췄습니다</translation>
    </message>
    <message>
        <source>Stopped early (no improvement) after {0}</source>
        <translation>{0} 후 조기 종료했습니다(개선 없음)</translation>
    </message>
    <message>
        <source>Stopped: the loss became NaN; the last good weights were kept. {0}</source>
        <translation>멈춤: 손실이 NaN이 되어 마지막 정상 가중치를 유지했습니다. {0}</translation>
    </message>
    <message>
        <source>Continuing from epoch {0} of the trained model…</source>
        <translation>학습된 모델의 에포크 {0}부터 이어서 훈련하는 중…</translation>
    </message>
    <message>
        <source>The model was edited since it was trained: {0} kept their weights; {1} start from new weights</source>
        <translation>학습 후 모델이 바뀌었습니다. {0}은(는) 가중치를 유지하고, {1}은(는) 새 가중치로 시작합니다</translation>
    </message>
    <message>
        <source>no layer</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>The optimizer was changed since the model was trained ({0}): its state starts afresh; the weights go on</source>
        <translation>모델을 학습한 뒤 옵티마이저가 바뀌었습니다({0}). 옵티마이저 상태는 새로 시작하고 가중치는 이어집니다</translation>
    </message>
    <message>
        <source>Epoch {0}/{1}, batch {2}/{3}, about {4:.0f} s left</source>
        <translation>에포크 {0}/{1}, 배치 {2}/{3}, 약 {4:.0f}초 남음</translation>
    </message>
    <message>
        <source>Train more epochs, going on from the trained model (its weights and optimizer state)</source>
        <translation>학습된 모델(가중치와 옵티마이저 상태)에서 이어서 더 많은 에포크를 훈련합니다</translation>
    </message>
    <message>
        <source>No trained model to go on from (none trained yet, or its weights were reset): Train starts a new one, which Continue can then go on from, also after the project is saved and opened again</source>
        <translation>이어서 훈련할 학습된 모델이 없습니다(아직 훈련하지 않았거나 가중치를 초기화했습니다). 훈련 시작으로 새 모델을 만들면 이어서 훈련으로 계속할 수 있고, 프로젝트를 저장하고 다시 열어도 됩니다</translation>
    </message>
    <message>
        <source>{0}; see the Results tab for the test split</source>
        <translation>{0}. 테스트 세트 결과는 결과 탭에서 보세요</translation>
    </message>
    <message>
        <source>Training failed</source>
        <translation>훈련 실패</translation>
    </message>
    <message>
        <source>Training failed: {0}</source>
        <translation>훈련 실패: {0}</translation>
    </message>
    <message>
        <source>Training process ended</source>
        <translation>훈련 프로세스가 끝났습니다</translation>
    </message>
    <message>
        <source>Continue training</source>
        <translation>이어서 훈련</translation>
    </message>
</context>
<context>
    <name>TrainingPlot</name>
    <message>
        <source>Shift the training curve half an epoch left</source>
        <translation>훈련 곡선을 반 에포크 왼쪽으로 옮기기</translation>
    </message>
    <message>
        <source>The training loss of an epoch is the mean over its batches, so it belongs in the middle of the epoch; validation is measured at its end.</source>
        <translation>한 에포크의 훈련 손실은 그 에포크 동안 배치 손실의 평균이므로 에포크 중간에 해당합니다. 검증은 에포크가 끝날 때 측정합니다.</translation>
    </message>
    <message>
        <source>Log scale for the loss</source>
        <translation>손실을 로그 스케일로</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>손실</translation>
    </message>
    <message>
        <source>metrics</source>
        <translation>지표</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>에포크</translation>
    </message>
    <message>
        <source>loss (batches)</source>
        <translation>손실 (배치)</translation>
    </message>
    <message>
        <source>loss function: {0}</source>
        <translation>손실 함수: {0}</translation>
    </message>
</context>
<context>
    <name>TrainingRunner</name>
    <message>
        <source>{0}; the weights of epoch {1} are kept: Continue goes on from them</source>
        <translation>{0}; 에포크 {1}의 가중치를 보존했습니다. 이어서 훈련하면 여기서부터 계속합니다</translation>
    </message>
    <message>
        <source>{0}; the model trained before is kept: Continue goes on from it</source>
        <translation>{0}; 이전에 훈련한 모델을 보존했습니다. 이어서 훈련하면 여기서부터 계속합니다</translation>
    </message>
    <message>
        <source>{0}; no epoch had been completed: Train starts again</source>
        <translation>{0}; 완료된 에포크가 없습니다. 훈련을 다시 시작하세요</translation>
    </message>
    <message>
        <source>{0}; a new one was started, the trained model is kept</source>
        <translation>{0}; 새 프로세스를 시작했고 학습된 모델은 보존했습니다</translation>
    </message>
    <message>
        <source>{0}; a new one was started</source>
        <translation>{0}; 새 프로세스를 시작했습니다</translation>
    </message>
    <message>
        <source>training did not stop within {0} s, so its process was ended</source>
        <translation>훈련이 {0}초 안에 멈추지 않아 프로세스를 종료했습니다</translation>
    </message>
    <message>
        <source>the training process was killed ({0}; the system may have run out of memory)</source>
        <translation>훈련 프로세스가 강제 종료되었습니다 ({0}; 시스템 메모리가 부족했을 수 있습니다)</translation>
    </message>
    <message>
        <source>the training process was killed ({0})</source>
        <translation>훈련 프로세스가 강제 종료되었습니다 ({0})</translation>
    </message>
    <message>
        <source>the training process crashed ({0})</source>
        <translation>훈련 프로세스가 비정상 종료되었습니다 ({0})</translation>
    </message>
    <message>
        <source>the training process ended unexpectedly (exit status {0})</source>
        <translation>훈련 프로세스가 예기치 않게 끝났습니다 (종료 상태 {0})</translation>
    </message>
    <message>
        <source>the training process could not start: {0}</source>
        <translation>훈련 프로세스를 시작할 수 없습니다: {0}</translation>
    </message>
</context>
<context>
    <name>TunePanel</name>
    <message>
        <source>Learning-rate finder</source>
        <translation>학습률 찾기</translation>
    </message>
    <message>
        <source>Find a Learning Rate</source>
        <translation>학습률 찾기</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>적용</translation>
    </message>
    <message>
        <source>Trains one epoch while the learning rate grows from 1e-5 to 10, and suggests a rate well below where the loss shoots up.</source>
        <translation>학습률을 1e-5에서 10까지 키우며 한 에포크를 훈련하고, 손실이 치솟는 지점보다 충분히 낮은 학습률을 추천합니다.</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>loss (smoothed)</source>
        <translation>손실 (평활)</translation>
    </message>
    <message>
        <source>Hyperparameter search</source>
        <translation>하이퍼파라미터 탐색</translation>
    </message>
    <message>
        <source>Hidden layers</source>
        <translation>은닉층 수</translation>
    </message>
    <message>
        <source>Neurons per layer</source>
        <translation>층당 뉴런 수</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>활성화 함수</translation>
    </message>
    <message>
        <source>Learning rate (log)</source>
        <translation>학습률 (로그)</translation>
    </message>
    <message>
        <source>Batch sizes</source>
        <translation>배치 크기</translation>
    </message>
    <message>
        <source>Optimizers</source>
        <translation>옵티마이저</translation>
    </message>
    <message>
        <source>Dropout</source>
        <translation>드롭아웃</translation>
    </message>
    <message>
        <source>Objective</source>
        <translation>목표 지표</translation>
    </message>
    <message>
        <source>Trials, epochs each</source>
        <translation>시도 수, 시도당 에포크</translation>
    </message>
    <message>
        <source>Algorithm</source>
        <translation>알고리즘</translation>
    </message>
    <message>
        <source>Comma-separated, e.g. relu, tanh</source>
        <translation>쉼표로 구분, 예: relu, tanh</translation>
    </message>
    <message>
        <source>Comma-separated, e.g. 32, 64</source>
        <translation>쉼표로 구분, 예: 32, 64</translation>
    </message>
    <message>
        <source>Comma-separated, e.g. Adam, SGD</source>
        <translation>쉼표로 구분, 예: Adam, SGD</translation>
    </message>
    <message>
        <source>Start Search</source>
        <translation>탐색 시작</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>중지</translation>
    </message>
    <message>
        <source>Apply Best</source>
        <translation>최고 설정 적용</translation>
    </message>
    <message>
        <source>objective</source>
        <translation>목표 값</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>에포크</translation>
    </message>
    <message>
        <source>Wait for the current training, search or finder to end.</source>
        <translation>진행 중인 훈련, 탐색 또는 학습률 찾기가 끝날 때까지 기다리세요.</translation>
    </message>
    <message>
        <source>Finding a learning rate…</source>
        <translation>학습률을 찾는 중…</translation>
    </message>
    <message>
        <source>Suggested learning rate: {0:.3g} (a tenth of {1:.3g}, where the loss was lowest).</source>
        <translation>추천 학습률: {0:.3g} (손실이 가장 낮았던 {1:.3g}의 10분의 1).</translation>
    </message>
    <message>
        <source>Learning rate set to {0}</source>
        <translation>학습률을 {0}(으)로 설정했습니다</translation>
    </message>
    <message>
        <source>Set the search space</source>
        <translation>탐색 공간 설정</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>탐색 중…</translation>
    </message>
    <message>
        <source>Trial {0} running…</source>
        <translation>시도 {0} 실행 중…</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>stopped ({0:.4f})</source>
        <translation>중지됨 ({0:.4f})</translation>
    </message>
    <message>
        <source>Stopped before its last epoch, so it is not compared with the others.</source>
        <translation>마지막 에포크 전에 중지되어 다른 시도와 비교하지 않습니다.</translation>
    </message>
    <message>
        <source>Best so far: trial {0}, {1} {2:.4f}</source>
        <translation>지금까지 최고: 시도 {0}, {1} {2:.4f}</translation>
    </message>
    <message>
        <source>Apply the best trial</source>
        <translation>최고 시도 적용</translation>
    </message>
    <message>
        <source>Applied trial {0}</source>
        <translation>시도 {0}을(를) 적용했습니다</translation>
    </message>
    <message>
        <source>No trial finished.</source>
        <translation>끝난 시도가 없습니다.</translation>
    </message>
    <message>
        <source>Done: {0} trial(s); the best is trial {1} with {2} {3:.4f}.</source>
        <translation>완료: 시도 {0}개. 최고는 시도 {1}, {2} {3:.4f}.</translation>
    </message>
    <message>
        <source>{0}. The best of the trials that finished is trial {1} with {2} {3:.4f}.</source>
        <translation>{0}. 끝난 시도 중 최고는 시도 {1}이며 {2} {3:.4f}입니다.</translation>
    </message>
</context>
<context>
    <name>WindowFiles</name>
    <message>
        <source>Cannot write the recovery file: {0}</source>
        <translation>복구 파일을 쓸 수 없습니다: {0}</translation>
    </message>
    <message>
        <source>Recover unsaved work</source>
        <translation>저장하지 않은 작업 복구</translation>
    </message>
    <message>
        <source>Perceptron Studio did not close properly. Recover the unsaved changes to {0}, autosaved at {1}?</source>
        <translation>Perceptron Studio가 정상적으로 종료되지 않았습니다. {1}에 자동 저장된 {0}의 저장하지 않은 변경 사항을 복구할까요?</translation>
    </message>
    <message>
        <source>Recover</source>
        <translation>복구</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>버리기</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>나중에</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>저장하지 않은 변경 사항</translation>
    </message>
    <message>
        <source>Save the changes to this project first?</source>
        <translation>이 프로젝트의 변경 사항을 먼저 저장할까요?</translation>
    </message>
    <message>
        <source>Its trained runs are kept only if it is saved; Discard deletes them.</source>
        <translation>훈련한 실행 기록은 프로젝트를 저장해야만 남습니다. 버리면 삭제됩니다.</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>프로젝트 열기</translation>
    </message>
    <message>
        <source>Cannot open</source>
        <translation>열 수 없습니다</translation>
    </message>
    <message>
        <source>Save project</source>
        <translation>프로젝트 저장</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>저장할 수 없습니다</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>{0}에 저장했습니다</translation>
    </message>
    <message>
        <source>Changed on disk</source>
        <translation>디스크에서 변경됨</translation>
    </message>
    <message>
        <source>{0} was changed by another window or program since this window opened or saved it. Saving now replaces those changes with this window&apos;s project.</source>
        <translation>이 창에서 열거나 저장한 뒤에 다른 창이나 프로그램이 {0} 파일을 바꾸었습니다. 지금 저장하면 그 변경 내용이 이 창의 프로젝트로 바뀝니다.</translation>
    </message>
    <message>
        <source>Copying the trained model beside the project…</source>
        <translation>학습된 모델을 프로젝트 옆으로 복사하는 중…</translation>
    </message>
    <message>
        <source>Cannot copy the trained model</source>
        <translation>학습된 모델을 복사할 수 없습니다</translation>
    </message>
    <message>
        <source>Import model</source>
        <translation>모델 가져오기</translation>
    </message>
    <message>
        <source>Imported {0}</source>
        <translation>{0}에서 가져왔습니다</translation>
    </message>
    <message>
        <source>Damaged model file</source>
        <translation>손상된 모델 파일</translation>
    </message>
    <message>
        <source>Importing the model…</source>
        <translation>모델을 가져오는 중…</translation>
    </message>
    <message>
        <source>Cannot import</source>
        <translation>가져올 수 없습니다</translation>
    </message>
    <message>
        <source>Export model</source>
        <translation>모델 내보내기</translation>
    </message>
    <message>
        <source>Exported {0}</source>
        <translation>{0}(으)로 내보냈습니다</translation>
    </message>
    <message>
        <source>Exporting the model…</source>
        <translation>모델을 내보내는 중…</translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>내보낼 수 없습니다</translation>
    </message>
    <message>
        <source>Train the model first: a {0} export holds the trained weights.</source>
        <translation>먼저 모델을 훈련하세요. {0} 내보내기에는 훈련된 가중치가 담깁니다.</translation>
    </message>
    <message>
        <source>Exported {0} ({1}), checked on {2} rows: largest difference from Keras {3:.2g}</source>
        <translation>{0}({1})(으)로 내보내고 {2}행으로 확인했습니다. Keras와의 최대 차이 {3:.2g}</translation>
    </message>
    <message>
        <source>Model exported</source>
        <translation>모델을 내보냈습니다</translation>
    </message>
    <message>
        <source>The check is recorded in {0}.</source>
        <translation>확인 결과는 {0}에 기록했습니다.</translation>
    </message>
</context>
<context>
    <name>WindowJobs</name>
    <message>
        <source>Wait for “{0}” to finish, or cancel it.</source>
        <translation>“{0}” 작업이 끝날 때까지 기다리거나 취소하세요.</translation>
    </message>
    <message>
        <source>Cancelled: {0}</source>
        <translation>취소됨: {0}</translation>
    </message>
</context>
<context>
    <name>WindowLabs</name>
    <message>
        <source>Opening lab {0}…</source>
        <translation>실습 {0} 여는 중…</translation>
    </message>
    <message>
        <source>Cannot open the lab</source>
        <translation>실습을 열 수 없습니다</translation>
    </message>
    <message>
        <source>Open assignment</source>
        <translation>과제 열기</translation>
    </message>
    <message>
        <source>Assignments (*.studio-pack)</source>
        <translation>과제 (*.studio-pack)</translation>
    </message>
    <message>
        <source>Opened the assignment “{0}”: your copy is in {1}; Check my work is on the Lab tab</source>
        <translation>과제 “{0}”을(를) 열었습니다. 내 사본은 {1}에 있습니다. 실습 탭에서 확인하기를 누르세요</translation>
    </message>
    <message>
        <source>Opening the assignment…</source>
        <translation>과제를 여는 중…</translation>
    </message>
    <message>
        <source>Cannot open the assignment</source>
        <translation>과제를 열 수 없습니다</translation>
    </message>
    <message>
        <source>Export as assignment</source>
        <translation>과제로 내보내기</translation>
    </message>
    <message>
        <source>Save the project first: the assignment is made from the saved file.</source>
        <translation>먼저 프로젝트를 저장하세요. 과제는 저장된 파일로 만듭니다.</translation>
    </message>
    <message>
        <source>Exported {0}</source>
        <translation>{0}(으)로 내보냈습니다</translation>
    </message>
    <message>
        <source>Exporting the assignment…</source>
        <translation>과제를 내보내는 중…</translation>
    </message>
    <message>
        <source>Cannot export the assignment</source>
        <translation>과제를 내보낼 수 없습니다</translation>
    </message>
    <message>
        <source>Train the model first; then its trained layers can be collapsed.</source>
        <translation>먼저 모델을 훈련하세요. 그래야 훈련된 층을 합칠 수 있습니다.</translation>
    </message>
</context>
<context>
    <name>WindowMenus</name>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>새로 만들기(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>열기(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>최근 파일(&amp;R)</translation>
    </message>
    <message>
        <source>Open E&amp;xample</source>
        <translation>예제 열기(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>저장(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>다른 이름으로 저장(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Import Model…</source>
        <translation>모델 가져오기(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Export Model…</source>
        <translation>모델 내보내기(&amp;E)…</translation>
    </message>
    <message>
        <source>Export &amp;Code…</source>
        <translation>코드 내보내기(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Labs…</source>
        <translation>실습(&amp;L)…</translation>
    </message>
    <message>
        <source>Open &amp;Assignment…</source>
        <translation>과제 열기(&amp;A)…</translation>
    </message>
    <message>
        <source>Export as Assi&amp;gnment…</source>
        <translation>과제로 내보내기(&amp;G)…</translation>
    </message>
    <message>
        <source>Save Run &amp;Report…</source>
        <translation>실행 보고서 저장(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>끝내기(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>편집(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>실행 취소(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>다시 실행(&amp;R)</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>잘라내기(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>복사(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>붙여 넣기(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>삭제(&amp;D)</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>모두 선택(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <source>Automatic &amp;Layout</source>
        <translation>자동 배치(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Fit to Window</source>
        <translation>창에 맞추기(&amp;F)</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>확대(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>축소(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>언어(&amp;L)</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>시스템 기본값</translation>
    </message>
    <message>
        <source>{0} no longer exists</source>
        <translation>{0} 파일이 더 이상 없습니다</translation>
    </message>
    <message>
        <source>Clear Recent</source>
        <translation>최근 목록 지우기</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>(아직 없음)</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <source>The studio will use the new language the next time it starts.</source>
        <translation>다음에 시작할 때부터 새 언어를 사용합니다.</translation>
    </message>
</context>
<context>
    <name>WindowOpen</name>
    <message>
        <source> and {0} more</source>
        <translation> 외 {0}개</translation>
    </message>
    <message>
        <source>None of the {0} files could be opened.</source>
        <translation>파일 {0}개를 모두 열 수 없습니다.</translation>
    </message>
    <message>
        <source>{0} could not be opened; opened {1} instead: the studio opens one file at a time</source>
        <translation>{0}을(를) 열 수 없어 대신 {1}을(를) 열었습니다. 스튜디오는 한 번에 파일 하나만 엽니다</translation>
    </message>
    <message>
        <source> (not opened: {0}).</source>
        <translation> (열지 않은 파일: {0}).</translation>
    </message>
    <message>
        <source>Opened {0} only: the studio opens one file at a time (not opened: {1}).</source>
        <translation>{0}만 열었습니다. 스튜디오는 한 번에 파일 하나만 엽니다 (열지 않은 파일: {1}).</translation>
    </message>
    <message>
        <source>Cannot open</source>
        <translation>열 수 없습니다</translation>
    </message>
    <message>
        <source>{0}: not a file Perceptron Studio opens. It opens projects (.studio.json), assignments (.studio-pack), Keras models (.h5, .keras) and CSV files (.csv, .tsv, .txt).</source>
        <translation>{0}: Perceptron Studio가 여는 파일이 아닙니다. 프로젝트(.studio.json), 과제(.studio-pack), Keras 모델(.h5, .keras), CSV 파일(.csv, .tsv, .txt)을 엽니다.</translation>
    </message>
    <message>
        <source>{0}: there is no such file.</source>
        <translation>{0}: 그런 파일이 없습니다.</translation>
    </message>
    <message>
        <source>New project with the data of {0}</source>
        <translation>{0}의 데이터로 새 프로젝트</translation>
    </message>
</context>
<context>
    <name>WindowRuns</name>
    <message>
        <source>run {0}</source>
        <translation>실행 {0}</translation>
    </message>
    <message>
        <source>{0} · {1}</source>
        <translation>{0} · {1}</translation>
    </message>
    <message>
        <source>Moving the runs beside the project…</source>
        <translation>실행을 프로젝트 옆 폴더로 옮기는 중…</translation>
    </message>
    <message>
        <source>Cannot move the runs</source>
        <translation>실행을 옮길 수 없습니다</translation>
    </message>
    <message>
        <source>Delete runs</source>
        <translation>실행 삭제</translation>
    </message>
    <message>
        <source>Delete {0} run(s) with their models and logs? This cannot be undone.</source>
        <translation>실행 {0}개를 모델과 기록까지 삭제할까요? 되돌릴 수 없습니다.</translation>
    </message>
    <message>
        <source>Deleting runs…</source>
        <translation>실행을 삭제하는 중…</translation>
    </message>
    <message>
        <source>Cannot delete</source>
        <translation>삭제할 수 없습니다</translation>
    </message>
    <message>
        <source>Train the model once: TensorBoard shows the recorded runs.</source>
        <translation>먼저 모델을 한 번 훈련하세요. 텐서보드는 기록된 실행을 보여 줍니다.</translation>
    </message>
    <message>
        <source>TensorBoard is at {0}</source>
        <translation>텐서보드 주소: {0}</translation>
    </message>
    <message>
        <source>Save run report</source>
        <translation>실행 보고서 저장</translation>
    </message>
    <message>
        <source>There is no recorded run yet: save the project and train it first.</source>
        <translation>기록된 실행이 아직 없습니다. 프로젝트를 저장하고 먼저 훈련하세요.</translation>
    </message>
    <message>
        <source>Web pages (*.html)</source>
        <translation>웹 페이지 (*.html)</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>{0}에 저장했습니다</translation>
    </message>
    <message>
        <source>Writing the run report…</source>
        <translation>실행 보고서를 쓰는 중…</translation>
    </message>
    <message>
        <source>Cannot save the report</source>
        <translation>보고서를 저장할 수 없습니다</translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <source>Recovered the unsaved changes to {0}; save them to keep them</source>
        <translation>{0}의 저장하지 않은 변경 내용을 복구했습니다. 유지하려면 저장하세요</translation>
    </message>
</context>
</TS>
